package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Marsd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** STN through the binding against marsd on loopback. */
class StnTest {
    static Marsd srv;
    final List<Stn> engines = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd();
    }

    @AfterAll
    static void stopServer() throws Exception {
        srv.close();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Stn::close);
    }

    Stn engine(Recorder cb) {
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        cfg.shortlinkPort = srv.shortPort;
        Stn s = new Stn(cfg, cb);
        engines.add(s);
        return s;
    }

    static StnLogic.Task longTask(int cmdid) {
        return new StnLogic.Task(StnLogic.LONGLINK, cmdid, null, null);
    }

    @Test
    void taskRoundTripOverLongLink() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        StnLogic.Task t = longTask(Marsd.CMD_ECHO);
        Object ctx = new Object();
        t.userContext = ctx;
        t.userId = "alice";
        t.reportArg = "round-trip";
        int id = s.startTask(t);
        assertEquals(t.taskID, id);
        Recorder.End e = cb.awaitEnd();
        assertEquals(id, e.taskID());
        assertEquals(StnLogic.ectOK, e.errType(), "errType");
        assertEquals(0, e.errCode(), "errCode");
        assertSame(ctx, e.userContext(), "userContext comes back as the same object");
        assertEquals("alice", e.userId());
        assertNotNull(e.profile());
        assertEquals(id, e.profile().taskId);
        assertEquals(StnLogic.LONGLINK, e.profile().channel);
        assertEquals("round-trip", e.profile().reportArg);
        assertEquals(Recorder.body(id).length, e.profile().recvBytes);
        assertTrue(e.daemonThread(), "library threads are attached as daemons");
        assertTrue(s.longLinkIsConnected());
        assertFalse(s.hasTask(id));
        String json = cb.profiles.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
        assertNotNull(json, "reportTaskProfile is registered when overridden");
        assertTrue(json.contains("\"taskId\":" + id), json);
        assertEquals(0, s.trackedTasks(), "the task record is released at onTaskEnd");
    }

    @Test
    void libraryAssignsIdWhenTaskIdIsZero() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        StnLogic.Task t = longTask(Marsd.CMD_ECHO);
        t.taskID = 0;
        int id = s.startTask(t);
        assertTrue(id != 0);
        assertEquals(id, t.taskID, "the assigned id is written back");
        assertEquals(id, cb.awaitEnd().taskID());
    }

    @Test
    void pushArrivesThroughOnPush() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        int id = s.startTask(longTask(Marsd.CMD_PUSH_ECHO));
        Recorder.Push p = cb.awaitPush();
        assertEquals(Marsd.CMD_PUSH, p.cmdid());
        assertEquals("task " + id, p.body());
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
    }

    @Test
    void shortLinkTaskRoundTrip() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        ArrayList<String> hosts = new ArrayList<>(List.of(srv.shortHost));
        StnLogic.Task t = new StnLogic.Task(StnLogic.SHORTLINK, 0, "/mars/echo", hosts);
        int id = s.startTask(t);
        Recorder.End e = cb.awaitEnd();
        assertEquals(id, e.taskID());
        assertEquals(StnLogic.ectOK, e.errType(), "errCode " + e.errCode());
        assertEquals(StnLogic.SHORTLINK, e.profile().channel);
        assertEquals("/mars/echo", e.profile().cgi);
    }

    @Test
    void disableLongLinkSendsTasksShort() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        s.disableLongLink();
        s.makesureLongLinkConnected(); // does nothing now
        ArrayList<String> hosts = new ArrayList<>(List.of(srv.shortHost));
        int both = s.startTask(new StnLogic.Task(StnLogic.BOTH, Marsd.CMD_ECHO, "/mars/echo", hosts));
        Recorder.End e = cb.awaitEnd();
        assertEquals(both, e.taskID());
        assertEquals(StnLogic.ectOK, e.errType(), "errCode " + e.errCode());
        assertEquals(StnLogic.SHORTLINK, e.profile().channel);
        int longOnly = s.startTask(longTask(Marsd.CMD_ECHO));
        e = cb.awaitEnd();
        assertEquals(longOnly, e.taskID());
        assertEquals(StnLogic.ectLocal, e.errType());
        assertEquals(StnLogic.LOCAL_LONGLINK_UNAVAILABLE, e.errCode());
        assertFalse(s.longLinkIsConnected());
    }

    @Test
    void startTaskInsideOnTaskEnd() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        AtomicInteger chained = new AtomicInteger();
        cb.onEnd = e -> {
            if (chained.getAndIncrement() == 0) s.startTask(longTask(Marsd.CMD_ECHO));
        };
        s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType(), "the task started from onTaskEnd also ends");
    }

    @Test
    void hasTaskInsideReq2Buf() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        AtomicInteger seen = new AtomicInteger();
        cb.onReq = id -> {
            if (s.hasTask(id)) seen.incrementAndGet();
        };
        s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        assertTrue(seen.get() >= 1, "hasTask from inside req2Buf answers true");
    }

    @Test
    void exceptionInReq2BufFailsTheTaskOnly() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        cb.throwInReq2Buf = new IllegalStateException("test: req2Buf throws");
        s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(StnLogic.ectEnDecode, cb.awaitEnd().errType());
        cb.throwInReq2Buf = null;
        s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType(), "the engine keeps working");
    }

    @Test
    void exceptionInBuf2RespEndsTaskLikeMars() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        cb.throwInBuf2Resp = new IllegalStateException("test: buf2Resp throws");
        s.startTask(longTask(Marsd.CMD_ECHO));
        Recorder.End e = cb.awaitEnd();
        assertEquals(StnLogic.ectEnDecode, e.errType(), "RESP_FAIL_HANDLE_TASK_END gives ectEnDecode");
    }

    @Test
    void invalidTaskFieldsEndWithTaskParam() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        StnLogic.Task t = longTask(Marsd.CMD_ECHO);
        t.retryCount = 31;
        s.startTask(t);
        Recorder.End e = cb.awaitEnd();
        assertEquals(StnLogic.ectLocal, e.errType());
        assertEquals(StnLogic.LOCAL_TASK_PARAM, e.errCode());
    }

    @Test
    void closeEndsPendingTasksWithReset() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        int id = s.startTask(longTask(Marsd.CMD_SILENCE));
        assertTrue(s.hasTask(id));
        s.close();
        Recorder.End e = cb.ends.poll();
        assertNotNull(e, "onTaskEnd ran before close returned");
        assertEquals(StnLogic.ectLocal, e.errType());
        assertEquals(StnLogic.LOCAL_RESET, e.errCode());
    }

    @Test
    void stopTaskGivesNoOnTaskEnd() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        int id = s.startTask(longTask(Marsd.CMD_SILENCE));
        s.stopTask(id);
        assertFalse(s.hasTask(id));
        assertEquals(0, s.trackedTasks());
        s.close();
        assertNull(cb.ends.poll(), "a stopped task never reaches onTaskEnd, not even at close");
    }

    @Test
    void closeInsideOnTaskEnd() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        java.util.concurrent.CompletableFuture<Throwable> closed = new java.util.concurrent.CompletableFuture<>();
        cb.onEnd = e -> {
            try {
                s.close();
                closed.complete(null);
            } catch (Throwable t) {
                closed.complete(t);
            }
        };
        s.startTask(longTask(Marsd.CMD_ECHO));
        cb.awaitEnd();
        assertNull(closed.get(Recorder.TIMEOUT_S, TimeUnit.SECONDS), "close from a callback succeeds");
    }

    @Test
    void manyThreadsStartTasks() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        int threads = 4;
        int each = 25;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                for (int j = 0; j < each; j++) s.startTask(longTask(Marsd.CMD_ECHO));
            });
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) t.join();
        for (int i = 0; i < threads * each; i++) assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
    }

    @Test
    void engineDroppedWithoutCloseStaysAlive() throws Exception {
        Recorder cb = new Recorder();
        java.lang.ref.WeakReference<Stn> weak = new java.lang.ref.WeakReference<>(engine(cb));
        engines.clear(); // no strong Java reference left; the glue's global ref remains
        System.gc();
        Stn s = weak.get();
        assertNotNull(s, "C may still call back, so the engine object must not be collected");
        engines.add(s);
        s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
    }

    @Test
    void exceptionInIdentifyMeansNeverAndTasksStillRun() throws Exception {
        Recorder cb = new Recorder() {
            @Override
            public int getLongLinkIdentifyCheckBuffer(String ch, java.io.ByteArrayOutputStream req,
                    java.io.ByteArrayOutputStream hash, int[] cmd) {
                throw new IllegalStateException("test: identify throws");
            }
        };
        Stn s = engine(cb);
        s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
    }

    @Test
    void serverInitiatedPushArrives() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        s.startTask(longTask(Marsd.CMD_ECHO)); // connect first
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + srv.shortHost + ":" + srv.shortPort
                        + "/_marsd/push?cmdid=4242")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("pushed!"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Recorder.Push p = cb.awaitPush();
        assertEquals(4242, p.cmdid());
        assertEquals("pushed!", p.body());
    }

    @Test
    void tasksSurviveNullPointerTrapsAndGc() throws Exception {
        // The JVM turns SIGSEGV into NullPointerException; with Go's handlers installed
        // too, this only works if the handlers chain (libjsig).
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        int n = 64;
        for (int i = 0; i < n; i++) s.startTask(longTask(Marsd.CMD_ECHO));
        int npes = 0;
        String nothing = System.getProperty("mars.no.such.property");
        for (int i = 0; i < 200_000; i++) {
            try {
                npes += nothing.length();
            } catch (NullPointerException e) {
                npes++;
            }
            if (i % 50_000 == 0) System.gc();
        }
        assertEquals(200_000, npes);
        for (int i = 0; i < n; i++) assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
    }

    @Test
    void silentTaskEndOnLongLinkGivesNoOnTaskEnd() throws Exception {
        int[] silent = {0};
        Recorder cb = new Recorder() {
            @Override
            public int buf2Resp(int taskID, Object ctx, String userId, byte[] resp, int[] err, int ch) {
                if (taskID == silent[0]) return StnLogic.RESP_FAIL_HANDLE_SILENT_TASK_END;
                return super.buf2Resp(taskID, ctx, userId, resp, err, ch);
            }
        };
        Stn s = engine(cb);
        StnLogic.Task first = longTask(Marsd.CMD_ECHO);
        silent[0] = first.taskID;
        s.startTask(first);
        int second = s.startTask(longTask(Marsd.CMD_ECHO));
        assertEquals(second, cb.awaitEnd().taskID(), "the silently ended task never reaches onTaskEnd");
        assertFalse(s.hasTask(first.taskID));
        assertEquals(0, s.trackedTasks(), "its record is released too");
    }
}
