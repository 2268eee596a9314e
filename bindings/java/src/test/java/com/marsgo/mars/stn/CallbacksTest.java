package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.MarsException;
import com.marsgo.mars.Marsd;
import com.marsgo.mars.xlog.XLogConfig;
import com.marsgo.mars.xlog.Xlog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional callbacks: registered when overridden, and their data arrive intact. */
class CallbacksTest {
    static final String HOST = "marsd.invalid";
    static final int IDENTIFY_CMD = 12345;
    static Marsd srv;

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd();
    }

    @AfterAll
    static void stopServer() {
        srv.close();
    }

    static final class Full extends Recorder {
        final BlockingQueue<String> dns = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[][]> identify = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> linkStatus = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> connectStatus = new LinkedBlockingQueue<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();

        @Override
        public String[] onNewDns(String host, boolean longlink) {
            dns.add(host + "/" + longlink);
            if (!HOST.equals(host)) return null;
            String[] ips = new String[40]; // many answers: the glue copies them all
            java.util.Arrays.fill(ips, srv.longHost);
            return ips;
        }

        @Override
        public int getLongLinkIdentifyCheckBuffer(String channel, ByteArrayOutputStream req,
                ByteArrayOutputStream hash, int[] cmd) {
            req.writeBytes("who-are-you".getBytes(StandardCharsets.UTF_8));
            hash.writeBytes(new byte[] {1, 2, 3});
            cmd[0] = IDENTIFY_CMD;
            return StnLogic.ECHECK_NOW;
        }

        @Override
        public boolean onLongLinkIdentifyResp(String channel, byte[] buffer, byte[] hashCodeBuffer) {
            identify.add(new byte[][] {buffer, hashCodeBuffer});
            return true;
        }

        @Override
        public void onLongLinkStatusChange(int status) {
            linkStatus.add(status);
        }

        @Override
        public void reportConnectInfo(int status, int longlinkstatus) {
            connectStatus.add(longlinkstatus);
        }

        @Override
        public void trafficData(int send, int recv) {
            sent.addAndGet(send);
            received.addAndGet(recv);
        }
    }

    static void awaitValue(BlockingQueue<Integer> q, int want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Recorder.TIMEOUT_S);
        while (true) {
            Integer v = q.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (v == null) throw new AssertionError("never saw " + want);
            if (v == want) return;
        }
    }

    @Test
    void dnsIdentifyStatusAndTrafficCallbacks() throws Exception {
        Full cb = new Full();
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = HOST;
        cfg.longlinkPorts = new int[] {srv.longPort};
        try (Stn s = new Stn(cfg, cb)) {
            s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
            Recorder.End end = cb.ends.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
            assertNotNull(end, "no onTaskEnd; onNewDns calls: " + cb.dns + ", link status: " + cb.linkStatus);
            assertEquals(StnLogic.ectOK, end.errType(), "connected through the onNewDns answer");
            assertEquals(HOST + "/true", cb.dns.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS));

            byte[][] id = cb.identify.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
            assertNotNull(id, "identify answer delivered");
            assertEquals("who-are-you", new String(id[0], StandardCharsets.UTF_8), "marsd echoes the identify body");
            assertArrayEquals(new byte[] {1, 2, 3}, id[1], "the hash we gave comes back");

            awaitValue(cb.linkStatus, Stn.LONGLINK_CONNECTED);
            awaitValue(cb.connectStatus, StnLogic.CONNECTED);
            assertTrue(cb.sent.get() >= 40, "at least two 20-byte headers written: " + cb.sent.get());
            assertTrue(cb.received.get() >= 40, "received: " + cb.received.get());
        }
    }

    @Test
    void engineLogsIntoAnXlogAppender(@TempDir Path dir) throws Exception {
        XLogConfig lc = new XLogConfig();
        lc.logdir = dir.toString();
        lc.nameprefix = "stnlog";
        lc.mode = Xlog.AppednerModeSync;
        try (Xlog x = Xlog.open(lc)) {
            Stn.Config cfg = new Stn.Config();
            cfg.clientVersion = Marsd.CLIENT_VERSION;
            cfg.longlinkHost = srv.longHost;
            cfg.longlinkPorts = new int[] {srv.longPort};
            cfg.logInstance = x.getLogInstance();
            Recorder cb = new Recorder();
            try (Stn s = new Stn(cfg, cb)) {
                s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
                assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            }
            x.appenderFlush(0, true);
            assertTrue(x.getStats(0).linesWritten > 2, "the engine wrote lines");
        }
        Path f;
        try (Stream<Path> files = Files.list(dir)) {
            f = files.filter(p -> p.toString().endsWith(".xlog")).findFirst().orElseThrow();
        }
        String text = Xlog.decode(f.toString(), null);
        assertTrue(text.contains("mars.stn"), text);
    }

    @Test
    void closedAppenderIsRefusedAsEngineLog() {
        Stn.Config cfg = new Stn.Config();
        cfg.logInstance = 0x7fff_0001L; // never an open appender
        MarsException e = assertThrows(
                MarsException.class, () -> new Stn(cfg, new Recorder()));
        assertEquals(MarsException.EBADHANDLE, e.code);
    }

    @Test
    void needAuthedTaskWaitsForMakesureAuthed() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean authed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        BlockingQueue<String> who = new LinkedBlockingQueue<>();
        Recorder cb = new Recorder() {
            @Override
            public boolean makesureAuthed(String host, String userId) {
                who.add(userId);
                asked.countDown();
                return authed.get();
            }
        };
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        try (Stn s = new Stn(cfg, cb)) {
            StnLogic.Task t = new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null);
            t.needAuthed = true;
            t.userId = "bob";
            s.startTask(t);
            assertTrue(asked.await(Recorder.TIMEOUT_S, TimeUnit.SECONDS), "makesureAuthed asked");
            assertEquals("bob", who.poll());
            assertTrue(s.hasTask(t.taskID), "not authed: still pending");
            assertEquals(0, cb.ends.size());
            authed.set(true);
            s.touchTasks();
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        }
    }

    @Test
    void pollModeRunsNotificationsOnThePollingThread() throws Exception {
        Recorder cb = new Recorder();
        java.util.concurrent.atomic.AtomicReference<Thread> endThread = new java.util.concurrent.atomic.AtomicReference<>();
        cb.onEnd = e -> endThread.set(Thread.currentThread());
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        cfg.pollEvents = true;
        try (Stn s = new Stn(cfg, cb)) {
            s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_PUSH_ECHO, null, null));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Recorder.TIMEOUT_S);
            int ran = 0;
            // marsd answers, then pushes: poll until both were delivered.
            while ((cb.ends.isEmpty() || cb.pushes.isEmpty()) && System.nanoTime() < deadline) ran += s.poll(1000);
            Recorder.End e = cb.ends.poll();
            assertNotNull(e, "onTaskEnd delivered by poll");
            assertEquals(StnLogic.ectOK, e.errType());
            assertSame(Thread.currentThread(), endThread.get(), "ran on the polling thread");
            assertEquals(1, cb.pushes.size(), "the push is delivered through poll too");
            assertTrue(ran >= 2, "ran " + ran);
        }
    }

    @Test
    void pollWithoutPollModeIsRefused() {
        Stn.Config cfg = new Stn.Config();
        try (Stn s = new Stn(cfg, new Recorder())) {
            assertEquals(MarsException.ESTATE, assertThrows(MarsException.class, () -> s.poll(0)).code);
        }
    }

    @Test
    void passiveHeartbeatAndTrigNoop() throws Exception {
        BlockingQueue<Integer> sends = new LinkedBlockingQueue<>();
        Recorder cb = new Recorder() {
            @Override
            public void trafficData(int send, int recv) {
                if (send > 0) sends.add(send);
            }
        };
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        cfg.heartbeatMode = Stn.HEARTBEAT_PASSIVE;
        try (Stn s = new Stn(cfg, cb)) {
            s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            long before = srv.stat("noops");
            sends.clear();
            s.trigNoop();
            Integer sent = sends.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(20, sent, "one bare 20-byte heartbeat header written");
            assertTrue(srv.awaitStat("noops", before + 1) >= before + 1, "marsd saw the heartbeat");
            assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.setHeartbeatMode(9)).code);
        }
    }

    @Test
    void signallingKeeperSendsDatagrams() throws Exception {
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        cfg.signallingPeriodMs = 100;
        Recorder cb = new Recorder();
        try (Stn s = new Stn(cfg, cb)) {
            s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            long before = srv.stat("signals");
            s.keepSignalling();
            assertTrue(srv.awaitStat("signals", before + 1) > before, "marsd received a signalling datagram");
            s.stopSignalling();
        }
    }

    @Test
    void longPollingFieldsReachTheLibrary() throws Exception {
        Stn.Config cfg = new Stn.Config();
        cfg.shortlinkPort = srv.shortPort;
        Recorder cb = new Recorder();
        try (Stn s = new Stn(cfg, cb)) {
            StnLogic.Task bad = new StnLogic.Task(StnLogic.SHORTLINK, 0, "/poll",
                    new java.util.ArrayList<>(java.util.List.of(srv.shortHost)));
            bad.longPolling = true; // without a timeout: refused
            s.startTask(bad);
            Recorder.End e = cb.awaitEnd();
            assertEquals(StnLogic.ectLocal, e.errType());
            assertEquals(StnLogic.LOCAL_TASK_PARAM, e.errCode());
            StnLogic.Task ok = new StnLogic.Task(StnLogic.SHORTLINK, 0, "/poll",
                    new java.util.ArrayList<>(java.util.List.of(srv.shortHost)));
            ok.longPolling = true;
            ok.longPollingTimeout = 5000;
            s.startTask(ok);
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        }
    }

    @Test
    void frequencyLimitIsReportedThroughReportTaskLimited() throws Exception {
        BlockingQueue<Integer> limited = new LinkedBlockingQueue<>();
        Recorder cb = new Recorder() {
            @Override
            public boolean req2Buf(int id, Object c, String u, ByteArrayOutputStream out, int[] e, int ch, String h) {
                out.writeBytes("the same request".getBytes(StandardCharsets.UTF_8));
                return true;
            }

            @Override
            public int buf2Resp(int id, Object c, String u, byte[] r, int[] e, int ch) {
                return StnLogic.RESP_FAIL_HANDLE_NORMAL;
            }

            @Override
            public void reportTaskLimited(int checkType, int taskID, int param) {
                limited.add(checkType);
            }
        };
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        try (Stn s = new Stn(cfg, cb)) {
            StnLogic.Task first = new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null);
            first.limitFrequency = false; // connect without counting
            s.startTask(first);
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            int n = 106; // Mars: the 106th identical request is refused
            for (int i = 0; i < n; i++) s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
            int refused = 0;
            for (int i = 0; i < n; i++) {
                Recorder.End e = cb.awaitEnd();
                if (e.errType() == StnLogic.ectLocal && e.errCode() == -4) refused++;
            }
            assertTrue(refused >= 1, "at least the 106th identical request is refused");
            assertEquals(1, limited.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS), "reported as a frequency limit");
        }
    }
}
