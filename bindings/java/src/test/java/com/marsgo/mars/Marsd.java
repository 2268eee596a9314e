package com.marsgo.mars;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference server for tests: starts the marsd binary (system property
 * marsd.path) on loopback port 0, reads the addresses from its first stdout line
 * and stops it with SIGTERM.
 */
public final class Marsd implements AutoCloseable {
    public static final int CLIENT_VERSION = 200;
    /** marsd's special request cmdids (go doc ./marsd). */
    public static final int CMD_ECHO = 100;
    public static final int CMD_PUSH = 10001;
    public static final int CMD_PUSH_ECHO = 10002;
    public static final int CMD_SILENCE = 10004;

    private static final Pattern LINE = Pattern.compile("^marsd long=(\\S+):(\\d+) short=(\\S+):(\\d+)((?: \\S+)*)$");
    private static final Pattern EXTRA = Pattern.compile(" long\\.([^=]+)=\\S+:(\\d+)");

    private final Process proc;
    public final String longHost;
    public final int longPort;
    public final String shortHost;
    public final int shortPort;
    /** The port of each extra long-link listener (--long-extra NAME=...), by name. */
    public final java.util.Map<String, Integer> extraPorts = new java.util.HashMap<>();

    /** extraLongLinks: names of more long-link listeners, one per named link (marsd --long-extra). */
    public Marsd(String... extraLongLinks) throws IOException {
        String bin = System.getProperty("marsd.path", "marsd");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(bin, "--long", "127.0.0.1:0",
                "--short", "127.0.0.1:0", "--client-version", String.valueOf(CLIENT_VERSION)));
        for (String name : extraLongLinks) {
            cmd.add("--long-extra");
            cmd.add(name + "=127.0.0.1:0");
        }
        proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        Matcher m = line == null ? null : LINE.matcher(line.trim());
        if (m == null || !m.matches()) {
            proc.destroyForcibly();
            throw new IOException("marsd did not print its address line, got: " + line);
        }
        longHost = m.group(1);
        longPort = Integer.parseInt(m.group(2));
        shortHost = m.group(3);
        shortPort = Integer.parseInt(m.group(4));
        Matcher x = EXTRA.matcher(m.group(5));
        while (x.find()) extraPorts.put(x.group(1), Integer.parseInt(x.group(2)));
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // marsd exited
            }
        }, "marsd-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    /** One counter of marsd's GET /_marsd/stats (e.g. "noops", "signals"). */
    public long stat(String name) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + shortHost + ":" + shortPort
                        + "/_marsd/stats")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(r.body());
        if (!m.find()) throw new IOException("no " + name + " in " + r.body());
        return Long.parseLong(m.group(1));
    }

    /**
     * Waits until a marsd counter reaches at least want. marsd offers no event for
     * this, so its stats are read repeatedly (every 20 ms) up to a 10 s deadline.
     */
    public long awaitStat(String name, long want) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long v = stat(name);
        while (v < want && System.nanoTime() < deadline) {
            Thread.sleep(20);
            v = stat(name);
        }
        return v;
    }

    @Override
    public void close() {
        proc.destroy(); // SIGTERM
        try {
            if (!proc.waitFor(10, TimeUnit.SECONDS)) proc.destroyForcibly();
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
