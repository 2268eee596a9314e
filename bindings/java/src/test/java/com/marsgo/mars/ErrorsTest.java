package com.marsgo.mars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.stn.CgiProfile;
import com.marsgo.mars.stn.Stn;
import com.marsgo.mars.stn.StnLogic;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bad input becomes MarsException with the right code, in one place. */
class ErrorsTest {
    static final StnLogic.ICallBack NOP = new StnLogic.ExtendedCallBack() {
        @Override
        public boolean req2Buf(int id, Object c, String u, ByteArrayOutputStream b, int[] e, int ch, String h) {
            return true;
        }

        @Override
        public int buf2Resp(int id, Object c, String u, byte[] r, int[] e, int ch) {
            return 0;
        }

        @Override
        public int onTaskEnd(int id, Object c, String u, int t, int e, CgiProfile p) {
            return 0;
        }

        @Override
        public void onPush(String ch, int cmd, int id, byte[] d) {}
    };

    static Stn engine() {
        return new Stn(new Stn.Config(), NOP);
    }

    @Test
    void versionIsCheckedAndMatches() {
        assertEquals(Mars.EXPECTED_MAJOR, Mars.versionNumber() / 1_000_000);
        assertTrue(Mars.version().matches("\\d+\\.\\d+\\.\\d+"), Mars.version());
        Mars.checkVersion(Mars.versionNumber(), Mars.versionNumber());
        MarsException e = assertThrows(MarsException.class, () -> Mars.checkVersion(1_000_000, 1000));
        assertEquals(MarsException.EUNSUPPORTED, e.code);
        assertThrows(MarsException.class, () -> Mars.checkVersion(1000, 2_000_001));
    }

    @Test
    void featuresAreAskedOfTheLibrary() {
        assertTrue(Mars.hasFeature("stn"));
        assertTrue(Mars.hasFeature("xlog"));
        assertTrue(Mars.hasFeature("max_packet_size"));
        assertFalse(Mars.hasFeature("no_such_feature"));
        assertFalse(Mars.hasFeature(""));
        assertFalse(Mars.hasFeature(null));
    }

    @Test
    void everyCodeHasItsOwnText() {
        Set<String> texts = new HashSet<>();
        for (int code = MarsException.EINVAL; code <= MarsException.EPARTIAL; code++) {
            String t = Mars.errstr(code);
            assertFalse(t.isEmpty());
            assertNotEquals("unknown error", t, "code " + code);
            assertTrue(texts.add(t), "duplicate text " + t);
        }
        assertEquals("unknown error", Mars.errstr(9999));
    }

    @Test
    void checkThrowsWithCodeAndDetail() {
        Mars.check(MarsException.OK, () -> "never asked");
        MarsException e = assertThrows(MarsException.class, () -> Mars.check(MarsException.EIO, () -> "disk gone"));
        assertEquals(MarsException.EIO, e.code());
        assertTrue(e.getMessage().contains("disk gone"), e.getMessage());
        assertTrue(e.getMessage().contains(Mars.errstr(MarsException.EIO)), e.getMessage());
    }

    @Test
    void useAfterCloseIsBadHandle() {
        Stn s = engine();
        s.close();
        s.close(); // a second close does nothing
        MarsException e = assertThrows(MarsException.class, () -> s.startTask(new StnLogic.Task()));
        assertEquals(MarsException.EBADHANDLE, e.code);
        assertEquals(MarsException.EBADHANDLE, assertThrows(MarsException.class, () -> s.hasTask(1)).code);
        assertEquals(MarsException.EBADHANDLE, assertThrows(MarsException.class, s::reset).code);
        // Every other method the README's table lists as giving only the common codes.
        java.util.Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("stopTask", () -> s.stopTask(1));
        calls.put("redoTask", s::redoTask);
        calls.put("touchTasks", s::touchTasks);
        calls.put("clearTask", s::clearTask);
        calls.put("makesureLongLinkConnected", s::makesureLongLinkConnected);
        calls.put("longLinkIsConnected", s::longLinkIsConnected);
        calls.put("setLonglinkSvrAddr", () -> s.setLonglinkSvrAddr("127.0.0.1", new int[] {1}, null));
        calls.put("setShortlinkSvrAddr", () -> s.setShortlinkSvrAddr(1, null));
        calls.put("setDebugIP", () -> s.setDebugIP("h", "127.0.0.1"));
        calls.put("setBackupIPs", () -> s.setBackupIPs("h", new String[] {"127.0.0.1"}));
        calls.put("genTaskID", s::genTaskID);
        calls.put("onForeground", () -> s.onForeground(true));
        calls.put("setAccount", () -> s.setAccount("alice"));
        calls.put("onNetworkChange", () -> s.onNetworkChange(Stn.NET_WIFI, ""));
        calls.put("keepSignalling", s::keepSignalling);
        calls.put("stopSignalling", s::stopSignalling);
        calls.put("setHeartbeatMode", () -> s.setHeartbeatMode(Stn.HEARTBEAT_FIXED));
        calls.put("heartbeatInterval", s::heartbeatInterval);
        calls.put("networkQuality", s::networkQuality);
        calls.put("trigNoop", s::trigNoop);
        calls.put("poll", () -> s.poll(0));
        calls.forEach((name, call) -> assertEquals(MarsException.EBADHANDLE,
                assertThrows(MarsException.class, call, name + " after close").code, name));
    }

    @Test
    void nullConfigOrCallbackIsEinvalNotNullPointer() {
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> new Stn(new Stn.Config(), null)).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> new Stn(null, NOP)).code);
    }

    @Test
    void badArgumentsAreEinval() {
        try (Stn s = engine()) {
            assertEquals(MarsException.EINVAL,
                    assertThrows(MarsException.class, () -> s.setLonglinkSvrAddr("h", new int[] {70000}, null)).code);
            assertEquals(MarsException.EINVAL,
                    assertThrows(MarsException.class, () -> s.setLonglinkSvrAddr(null, new int[] {1}, null)).code);
            assertEquals(MarsException.EINVAL,
                    assertThrows(MarsException.class, () -> s.setBackupIPs("h", new String[] {"1.2.3.4", null})).code);
            assertEquals(MarsException.EINVAL,
                    assertThrows(MarsException.class, () -> s.onNetworkChange(99, "x")).code);
            assertEquals(MarsException.EINVAL,
                    assertThrows(MarsException.class, () -> s.setSignallingStrategy(0, 0)).code);
            StnLogic.Task t = new StnLogic.Task();
            t.shortLinkHostList = new java.util.ArrayList<>();
            for (int i = 0; i < 65; i++) t.shortLinkHostList.add("h" + i);
            assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.startTask(t)).code);
            assertEquals(0, s.trackedTasks(), "a refused task is not kept");
        }
    }

    @Test
    void badConfigIsRefusedWithDetail() {
        Stn.Config cfg = new Stn.Config();
        cfg.baseFirstPacketTimeoutMs = -5;
        MarsException e = assertThrows(MarsException.class, () -> new Stn(cfg, NOP));
        assertEquals(MarsException.EINVAL, e.code);
        assertTrue(e.getMessage().length() > Mars.errstr(MarsException.EINVAL).length() + 20,
                "the library's detail is part of the message: " + e.getMessage());
    }

    @Test
    void badTlsPinsAndProxyAreEinval() {
        Stn.Config pins = new Stn.Config();
        pins.tls = true;
        pins.tlsPinnedSpkiSha256 = new byte[][] {new byte[31]};
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> new Stn(pins, NOP)).code);
        Stn.Config proxy = new Stn.Config();
        proxy.proxyKind = Stn.PROXY_HTTP; // no proxyAddr
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> new Stn(proxy, NOP)).code);
        Stn.Config port = new Stn.Config();
        port.shortlinkPort = 65536;
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> new Stn(port, NOP)).code);
    }
}
