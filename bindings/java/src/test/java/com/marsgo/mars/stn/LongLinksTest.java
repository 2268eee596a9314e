package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.MarsException;
import com.marsgo.mars.Marsd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several named long links through the binding: the default link and "second" on two marsd listeners. */
class LongLinksTest {
    static final String SECOND = "second";
    static final String FAKE_HOST = "second.marsgo.test";
    static Marsd srv;
    final List<Stn> engines = new ArrayList<>();

    /** A Recorder that also hears the named link callbacks. */
    static class LinkRecorder extends Recorder {
        record Event(String name, int errType, int errCode, String ip, int port) {}

        record Status(String name, int status, Thread thread) {}

        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final BlockingQueue<Status> statuses = new LinkedBlockingQueue<>();
        final BlockingQueue<String> dnsAsked = new LinkedBlockingQueue<>();

        @Override
        public void onLongLinkNetworkErrorOf(String name, int errType, int errCode, String ip, int port) {
            events.add(new Event(name, errType, errCode, ip, port));
        }

        @Override
        public void onLongLinkStatusChangeOf(String name, int status) {
            statuses.add(new Status(name, status, Thread.currentThread()));
        }

        @Override
        public String[] onLongLinkNewDns(String name, String host) {
            dnsAsked.add(name + " " + host);
            return host.equals(FAKE_HOST) ? new String[] {srv.longHost} : null;
        }

        static <T> T await(BlockingQueue<T> q, Predicate<T> want, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            for (;;) {
                T v = q.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (v == null) throw new AssertionError("no " + what + " within " + TIMEOUT_S + " s");
                if (want.test(v)) return v;
            }
        }

        /** The connect-success event (ectOK, 0) of link name. */
        Event awaitConnected(String name) throws InterruptedException {
            return await(events, e -> e.name.equals(name) && e.errType == StnLogic.ectOK, name + " connected");
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd(SECOND);
    }

    @AfterAll
    static void stopServer() {
        srv.close();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Stn::close);
    }

    static int secondPort() {
        return srv.extraPorts.get(SECOND);
    }

    Stn engine(Recorder cb) {
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        Stn s = new Stn(cfg, cb);
        engines.add(s);
        return s;
    }

    static LongLinkConfig.Builder second() {
        return LongLinkConfig.builder(SECOND).host(srv.longHost).ports(secondPort());
    }

    static StnLogic.Task task(int cmdid, String channel) {
        StnLogic.Task t = new StnLogic.Task(StnLogic.LONGLINK, cmdid, null, null);
        t.channelName = channel;
        return t;
    }

    @Test
    void aNamedLinkCarriesItsTasksToItsServer() throws Exception {
        LinkRecorder cb = new LinkRecorder();
        Stn s = engine(cb);
        assertEquals(List.of(Stn.DEFAULT_LONGLINK), s.longLinks());
        s.createLongLink(second().build());
        assertEquals(List.of(Stn.DEFAULT_LONGLINK, SECOND), s.longLinks());
        assertEquals(Stn.DEFAULT_LONGLINK, s.mainLongLink());

        int id = s.startTask(task(Marsd.CMD_ECHO, SECOND));
        Recorder.End e = cb.awaitEnd();
        assertEquals(id, e.taskID());
        assertEquals(StnLogic.ectOK, e.errType(), "errCode " + e.errCode());
        LinkRecorder.Event ok = cb.awaitConnected(SECOND);
        assertEquals(secondPort(), ok.port(), "the named link connected to its own listener");
        LinkRecorder.await(cb.statuses, st -> st.name().equals(SECOND) && st.status() == Stn.LONGLINK_CONNECTED,
                "second's connected status");
        assertTrue(s.longLinkIsConnected(SECOND));
        assertFalse(s.longLinkIsConnected(Stn.DEFAULT_LONGLINK), "the default link was never needed");
        assertFalse(s.longLinkIsConnected("nobody"));
    }

    @Test
    void aPushNamesTheLinkItCameOn() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        s.createLongLink(second().build());
        s.startTask(task(Marsd.CMD_PUSH_ECHO, SECOND));
        Recorder.Push p = cb.awaitPush();
        assertEquals(SECOND, p.channel());
    }

    @Test
    void refusalsGiveTheirCodes() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.createLongLink(null)).code);
        assertEquals(MarsException.EINVAL,
                assertThrows(MarsException.class, () -> s.createLongLink(LongLinkConfig.builder("").build())).code);
        assertEquals(MarsException.EINVAL,
                assertThrows(MarsException.class, () -> s.createLongLink(LongLinkConfig.builder(null).build())).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class,
                () -> s.createLongLink(LongLinkConfig.builder("a\0b").build())).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class,
                () -> s.createLongLink(second().ports(70000).build())).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class,
                () -> s.createLongLink(second().tlsPinnedSpkiSha256(new byte[31]).tls(true).build())).code);
        s.createLongLink(second().build());
        assertEquals(MarsException.ESTATE, assertThrows(MarsException.class,
                () -> s.createLongLink(second().build())).code, "a second link of the same name");
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.destroyLongLink("nobody")).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.destroyLongLink(null)).code);
        assertEquals(MarsException.ESTATE,
                assertThrows(MarsException.class, () -> s.destroyLongLink(Stn.DEFAULT_LONGLINK)).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.markMainLongLink("nobody")).code);
        assertEquals(List.of(Stn.DEFAULT_LONGLINK, SECOND), s.longLinks(), "refusals changed nothing");

        s.startTask(task(Marsd.CMD_ECHO, "nobody"));
        Recorder.End e = cb.awaitEnd();
        assertEquals(StnLogic.ectLocal, e.errType());
        assertEquals(StnLogic.LOCAL_LONGLINK_UNAVAILABLE, e.errCode());

        s.close();
        assertEquals(MarsException.EBADHANDLE,
                assertThrows(MarsException.class, () -> s.createLongLink(second().build())).code);
        assertEquals(MarsException.EBADHANDLE, assertThrows(MarsException.class, s::longLinks).code);
        assertEquals(MarsException.EBADHANDLE, assertThrows(MarsException.class, s::mainLongLink).code);
        assertEquals(MarsException.EBADHANDLE,
                assertThrows(MarsException.class, () -> s.makesureLongLinkConnected(SECOND)).code);
    }

    @Test
    void destroyEndsTheLinksTasksWithReleased() throws Exception {
        Recorder cb = new Recorder();
        Stn s = engine(cb);
        s.createLongLink(second().build());
        StnLogic.Task t = task(Marsd.CMD_SILENCE, SECOND); // marsd never answers it
        t.userContext = new Object();
        int id = s.startTask(t);
        s.destroyLongLink(SECOND);
        Recorder.End e = cb.awaitEnd();
        assertEquals(id, e.taskID());
        assertEquals(StnLogic.ectLocal, e.errType());
        assertEquals(StnLogic.LOCAL_LONGLINK_RELEASED, e.errCode());
        assertEquals(0, s.trackedTasks(), "the task's context is let go");
        assertEquals(List.of(Stn.DEFAULT_LONGLINK), s.longLinks());
    }

    @Test
    void markMainMovesUnnamedTasks() throws Exception {
        LinkRecorder cb = new LinkRecorder();
        Stn s = engine(cb);
        s.createLongLink(second().build());
        s.markMainLongLink(SECOND);
        assertEquals(SECOND, s.mainLongLink());
        s.startTask(task(Marsd.CMD_ECHO, null));
        assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        assertEquals(secondPort(), cb.awaitConnected(SECOND).port());
        s.destroyLongLink(Stn.DEFAULT_LONGLINK); // no longer the main link
        assertEquals(List.of(SECOND), s.longLinks());
    }

    @Test
    void createMainMakesTheLinkMainAtOnce() throws Exception {
        Stn s = engine(new Recorder());
        s.createLongLink(second().main(true).build());
        assertEquals(SECOND, s.mainLongLink());
    }

    @Test
    void theLinksResolverIsAskedWithItsName() throws Exception {
        LinkRecorder cb = new LinkRecorder();
        Stn s = engine(cb);
        s.createLongLink(LongLinkConfig.builder(SECOND).host(FAKE_HOST).ports(secondPort()).build());
        s.startTask(task(Marsd.CMD_ECHO, SECOND));
        Recorder.End e = cb.awaitEnd();
        assertEquals(StnLogic.ectOK, e.errType(), "errCode " + e.errCode());
        assertEquals(SECOND + " " + FAKE_HOST,
                LinkRecorder.await(cb.dnsAsked, q -> q.startsWith(SECOND), "onLongLinkNewDns"));
    }

    @Test
    void namedStatusesAreQueuedForPollInPollMode() throws Exception {
        LinkRecorder cb = new LinkRecorder();
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        cfg.pollEvents = true;
        Stn s = new Stn(cfg, cb);
        engines.add(s);
        s.createLongLink(second().build());
        s.makesureLongLinkConnected(SECOND);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Recorder.TIMEOUT_S);
        LinkRecorder.Status connected = null;
        while (connected == null && System.nanoTime() < deadline) {
            s.poll(100); // waits for the next queued callback, at most 100 ms
            for (LinkRecorder.Status st; (st = cb.statuses.poll()) != null;) {
                if (st.name().equals(SECOND) && st.status() == Stn.LONGLINK_CONNECTED) connected = st;
            }
        }
        if (connected == null) throw new AssertionError("no connected status of " + SECOND + " through poll");
        assertEquals(Thread.currentThread(), connected.thread(), "ran inside poll, on the polling thread");
    }

    @Test
    void aLinkNotKeptAliveConnectsOnMakesure() throws Exception {
        LinkRecorder cb = new LinkRecorder();
        Stn s = engine(cb);
        s.createLongLink(second().keepAlive(false).identifyCheck(false).build());
        assertFalse(s.longLinkIsConnected(SECOND));
        s.makesureLongLinkConnected(SECOND);
        assertEquals(secondPort(), cb.awaitConnected(SECOND).port());
        assertTrue(s.longLinkIsConnected(SECOND));
        s.makesureLongLinkConnected("nobody"); // does nothing
    }
}
