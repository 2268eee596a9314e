package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.MarsException;
import com.marsgo.mars.Marsd;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Heartbeat interval, network quality and the automatic network check. */
class NetworkTest {
    static Marsd srv;

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd();
    }

    @AfterAll
    static void stopServer() {
        srv.close();
    }

    static Stn.Config config() {
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        cfg.shortlinkPort = srv.shortPort;
        return cfg;
    }

    @Test
    void heartbeatIntervalFollowsTheMode() {
        try (Stn s = new Stn(config(), new Recorder())) {
            assertEquals(210_000, s.heartbeatInterval(), "Mars's fixed default");
            s.setHeartbeatMode(Stn.HEARTBEAT_PASSIVE);
            assertEquals(0, s.heartbeatInterval(), "no periodic heartbeat when passive");
        }
    }

    @Test
    void networkQualityIsMeasuredAndReported() throws Exception {
        BlockingQueue<NetworkQuality> changes = new LinkedBlockingQueue<>();
        Recorder cb = new Recorder() {
            @Override
            public void onNetworkQualityChange(NetworkQuality q) {
                changes.add(q);
            }
        };
        try (Stn s = new Stn(config(), cb)) {
            assertEquals(NetworkQuality.UNKNOWN, s.networkQuality().level, "no sample before any traffic");
            s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            NetworkQuality q = changes.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
            assertNotNull(q, "onNetworkQualityChange called");
            assertNotEquals(NetworkQuality.UNKNOWN, q.level, q.toString());
            NetworkQuality now = s.networkQuality();
            assertEquals(NetworkQuality.GOOD, now.level, "loopback is fast: " + now);
            assertTrue(now.rttMs >= 0 && now.rttMs <= 300, now.toString());
        }
    }

    @Test
    void networkCheckRunsAfterFailuresAndReports() throws Exception {
        BlockingQueue<String> reports = new LinkedBlockingQueue<>();
        BlockingQueue<Boolean> asked = new LinkedBlockingQueue<>();
        Recorder cb = new Recorder() {
            @Override
            public String[] requestNetCheckShortLinkHosts() {
                asked.add(true);
                return new String[] {srv.shortHost};
            }

            @Override
            public void onNetCheckResult(String json) {
                reports.add(json);
            }
        };
        Stn.Config cfg = config();
        cfg.retryIntervalMs = 20;
        cfg.netcheckCgi = "/netcheck";
        cfg.netcheckWindow = 2; // two successes, then two failures start a check
        cfg.netcheckBadBelow = 1;
        cfg.netcheckGoodAbove = 1;
        try (Stn s = new Stn(cfg, cb); Socket refusing = new Socket()) {
            for (int i = 0; i < 2; i++) {
                s.startTask(shortTask(0));
                assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            }
            refusing.bind(new InetSocketAddress(srv.shortHost, 0)); // bound, never listening: refused
            s.setShortlinkSvrAddr(refusing.getLocalPort(), null);
            s.startTask(shortTask(1));
            assertNotEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            assertNotNull(asked.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS), "hosts asked for the HTTP probe");
            String json = reports.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
            assertNotNull(json, "onNetCheckResult delivered");
            assertTrue(json.contains("\"results\":["), json);
            assertTrue(json.contains("/netcheck"), "the HTTP probe used netcheckCgi: " + json);
        }
    }

    @Test
    void dohUrlMustBeHttpsUnlessAllowed() {
        Stn.Config cfg = config();
        cfg.dohUrl = "http://127.0.0.1:1/dns-query";
        MarsException e = assertThrows(MarsException.class, () -> new Stn(cfg, new Recorder()).close());
        assertEquals(MarsException.EINVAL, e.code);
        cfg.dohAllowHttp = true;
        try (Stn s = new Stn(cfg, new Recorder())) {
            assertNotNull(s);
        }
    }

    @Test
    void shortLinkConnectFailureIsReported() throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        Recorder cb = new Recorder() {
            @Override
            public void onShortLinkNetworkError(int errType, int errCode, String ip, int port) {
                errors.add(errType + " " + ip + ":" + port);
            }
        };
        try (Stn s = new Stn(config(), cb); Socket refusing = new Socket()) {
            refusing.bind(new InetSocketAddress(srv.shortHost, 0)); // bound, never listening: refused
            s.setShortlinkSvrAddr(refusing.getLocalPort(), null);
            s.startTask(shortTask(0));
            assertNotEquals(StnLogic.ectOK, cb.awaitEnd().errType());
            String got = errors.poll(Recorder.TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(StnLogic.ectSocket + " " + srv.shortHost + ":" + refusing.getLocalPort(), got);
        }
    }

    static StnLogic.Task shortTask(int retries) {
        StnLogic.Task t = new StnLogic.Task(StnLogic.SHORTLINK, 0, "/cgi", new ArrayList<>(List.of(srv.shortHost)));
        t.retryCount = retries;
        t.limitFrequency = false;
        return t;
    }
}
