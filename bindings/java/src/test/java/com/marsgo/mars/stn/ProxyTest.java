package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.MarsException;
import com.marsgo.mars.Marsd;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** getProxyInfo (Mars's GetProxyInfo), proxyIsAvailable and reportDnsProfile, on loopback. */
class ProxyTest {
    static Marsd srv;

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd();
    }

    @AfterAll
    static void stopServer() {
        srv.close();
    }

    /** An HTTP CONNECT proxy on loopback: each target goes to targets, then it tunnels (502 if refuse). */
    static final class ConnectProxy implements AutoCloseable {
        final ServerSocket listener;
        final BlockingQueue<String> targets = new LinkedBlockingQueue<>();

        ConnectProxy(boolean refuse) throws Exception {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        Socket c = listener.accept();
                        Thread h = new Thread(() -> serve(c, refuse));
                        h.setDaemon(true);
                        h.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String addr() {
            return "127.0.0.1:" + listener.getLocalPort();
        }

        private void serve(Socket c, boolean refuse) {
            try (c) {
                InputStream in = c.getInputStream();
                String head = readHead(in);
                if (head == null) return;
                String target = head.split(" ")[1];
                targets.add(target);
                OutputStream out = c.getOutputStream();
                if (refuse) {
                    out.write("HTTP/1.1 502 Bad Gateway\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                int colon = target.lastIndexOf(':');
                try (Socket up = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))) {
                    out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    Thread pump = new Thread(() -> {
                        try {
                            up.getInputStream().transferTo(out);
                            c.shutdownOutput();
                        } catch (Exception e) {
                            // the connection ended
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                    in.transferTo(up.getOutputStream());
                    up.shutdownOutput();
                    pump.join(10_000);
                }
            } catch (Exception e) {
                // the connection ended
            }
        }

        @Override
        public void close() throws java.io.IOException {
            listener.close();
        }
    }

    /** Reads an HTTP head (through the blank line); null at an early EOF. */
    static String readHead(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** An HTTP server answering every request with status. */
    static ServerSocket statusServer(int status) throws Exception {
        ServerSocket l = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket c = l.accept()) {
                    readHead(c.getInputStream());
                    c.getOutputStream().write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return l;
    }

    static Stn.Config config() {
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = "marsd.test";
        cfg.longlinkPorts = new int[] {srv.longPort};
        return cfg;
    }

    /** Names marsd.test through onNewDns; answers getProxyInfo with answer; records DNS reports. */
    static class ProxyRecorder extends Recorder {
        final ProxyInfo answer;
        final BlockingQueue<String> asked = new LinkedBlockingQueue<>();
        final BlockingQueue<DnsProfile> dns = new LinkedBlockingQueue<>();

        ProxyRecorder(ProxyInfo answer) {
            this.answer = answer;
        }

        @Override
        public String[] onNewDns(String host, boolean longlink) {
            return host.equals("marsd.test") ? new String[] {srv.longHost} : new String[0];
        }

        @Override
        public ProxyInfo getProxyInfo(String host, boolean longlink) {
            asked.add(host + " " + longlink);
            return answer;
        }

        @Override
        public void reportDnsProfile(DnsProfile profile) {
            dns.add(profile);
        }
    }

    @Test
    void getProxyInfoNamesTheLongLinkProxyAndDnsIsReported() throws Exception {
        try (ConnectProxy px = new ConnectProxy(false)) {
            ProxyRecorder cb = new ProxyRecorder(new ProxyInfo(ProxyInfo.HTTP, px.addr()));
            try (Stn s = new Stn(config(), cb)) {
                s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
                assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
                assertEquals(srv.longHost + ":" + srv.longPort, px.targets.poll(10, TimeUnit.SECONDS));
                assertEquals("marsd.test true", cb.asked.poll(10, TimeUnit.SECONDS));
                DnsProfile p;
                do {
                    p = cb.dns.poll(10, TimeUnit.SECONDS);
                    assertNotNull(p, "no DNS report from onNewDns");
                } while (p.source != DnsProfile.SOURCE_NEWDNS);
                assertEquals("marsd.test", p.host);
                assertTrue(p.longlink);
                assertEquals(List.of(srv.longHost), p.ips);
                assertEquals(0, p.errType);
                assertEquals("", p.error);
            }
        }
    }

    @Test
    void aDirectAnswerWinsOverTheConfigProxy() throws Exception {
        ProxyRecorder cb = new ProxyRecorder(ProxyInfo.DIRECT);
        Stn.Config cfg = config();
        cfg.proxyKind = ProxyInfo.HTTP;
        cfg.proxyAddr = "127.0.0.1:1";
        try (Stn s = new Stn(cfg, cb)) {
            s.startTask(new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null));
            assertEquals(StnLogic.ectOK, cb.awaitEnd().errType());
        }
    }

    @Test
    void proxyIsAvailable() throws Exception {
        try (ConnectProxy px = new ConnectProxy(false); ServerSocket ok = statusServer(200);
                ServerSocket missing = statusServer(404)) {
            ProxyInfo p = new ProxyInfo(ProxyInfo.HTTP, px.addr());
            int[] code = {7};
            assertTrue(StnLogic.proxyIsAvailable(p, "127.0.0.1", ok.getLocalPort(), 5000, code));
            assertEquals(0, code[0]);
            assertFalse(StnLogic.proxyIsAvailable(p, "127.0.0.1", missing.getLocalPort(), 5000, code));
            assertEquals(404, code[0]);
        }
        try (ConnectProxy refusing = new ConnectProxy(true)) {
            int[] code = {7};
            assertFalse(StnLogic.proxyIsAvailable(new ProxyInfo(ProxyInfo.HTTP, refusing.addr()), "127.0.0.1", 80,
                    5000, code));
            assertEquals(-10097, code[0]);
        }
        MarsException e = assertThrows(MarsException.class,
                () -> StnLogic.proxyIsAvailable(ProxyInfo.DIRECT, "127.0.0.1", 80));
        assertEquals(MarsException.EINVAL, e.code);
        assertThrows(MarsException.class, () -> StnLogic.proxyIsAvailable(null, "127.0.0.1", 80));
    }
}
