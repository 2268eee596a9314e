package com.marsgo.mars.xlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Benchmark (tag "bench"): the cost of one log line through the binding. */
@Tag("bench")
class XlogBenchTest {
    static final int N = Integer.getInteger("mars.bench.lines", 200_000);

    @TempDir
    Path dir;

    @Test
    void lineCost() throws Exception {
        XLogConfig c = new XLogConfig();
        c.logdir = dir.resolve("log").toString();
        c.cachedir = dir.resolve("cache").toString();
        c.nameprefix = "bench";
        c.level = Xlog.LEVEL_INFO;
        Xlog x = new Xlog();
        Log.setLogImp(x);
        try {
            x.appenderOpen(c);
            for (int i = 0; i < 20_000; i++) Log.i("bench", "warm up line number " + i);
            long t0 = System.nanoTime();
            for (int i = 0; i < N; i++) Log.i("bench", "a typical log line with a number " + i);
            double enabledNs = (System.nanoTime() - t0) / (double) N;
            int disabled = 10 * N;
            for (int i = 0; i < disabled; i++) Log.d("bench", "below the level"); // warm up this path too
            t0 = System.nanoTime();
            for (int i = 0; i < disabled; i++) Log.d("bench", "below the level");
            double disabledNs = (System.nanoTime() - t0) / (double) disabled;
            x.appenderFlush(0, true);
            int calls = 1_000_000;
            long sum = 0;
            t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) sum += x.getLogLevel(0);
            double callNs = (System.nanoTime() - t0) / (double) calls;
            assertEquals((long) calls * Xlog.LEVEL_INFO, sum);
            System.out.printf("java_native_call_ns=%.0f (getLogLevel -> mars_xlog_get_level)%n", callNs);
            Xlog.Stats s = x.getStats(0);
            System.out.printf("java_xlog_line_ns=%.0f (async zlib, Log.i -> JNI -> mars_xlog_write)%n", enabledNs);
            System.out.printf("java_xlog_disabled_line_ns=%.1f%n", disabledNs);
            System.out.printf("java_xlog_blocked_waits=%d blocks=%d bytes=%d%n", s.blockedWaits, s.blocks, s.bytesWritten);
            assertEquals(0, s.linesDropped + s.linesLost);
        } finally {
            Log.setLogImp(null);
            x.close();
        }
        runCBaseline();
    }

    void runCBaseline() throws Exception {
        String bin = System.getProperty("mars.cxlogbench", "");
        if (bin.isEmpty()) return;
        Process p = new ProcessBuilder(bin, dir.resolve("c").toString(), String.valueOf(N)).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        System.out.print(out);
    }
}
