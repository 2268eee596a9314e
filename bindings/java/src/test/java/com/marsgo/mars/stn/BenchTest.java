package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marsgo.mars.Marsd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks (not run by default; MARS_JAVA_BENCH=1 run-tests.sh): a task round
 * trip through the binding next to the same through C (bench/c_round_trip.c, run
 * as a subprocess when mars.cbench names it), callback throughput into Java, and
 * tasks/s over one long link against the same spread over two named links.
 * Figures are printed; only correctness is asserted.
 */
@Tag("bench")
class BenchTest {
    static final int N = Integer.getInteger("mars.bench.n", 3000);
    static final String SECOND = "second";
    static Marsd srv;

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd(SECOND);
    }

    @AfterAll
    static void stopServer() {
        srv.close();
    }

    /** A minimal callback: the cost measured is the binding's, not the app's. */
    static final class Counter implements StnLogic.ExtendedCallBack {
        final Semaphore ended = new Semaphore(0);
        final AtomicLong callbacks = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        @Override
        public boolean req2Buf(int id, Object c, String u, ByteArrayOutputStream out, int[] e, int ch, String h) {
            callbacks.incrementAndGet();
            out.writeBytes(("task " + id).getBytes(StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public int buf2Resp(int id, Object c, String u, byte[] r, int[] e, int ch) {
            callbacks.incrementAndGet();
            return StnLogic.RESP_FAIL_HANDLE_NORMAL;
        }

        @Override
        public int onTaskEnd(int id, Object c, String u, int type, int code, CgiProfile p) {
            callbacks.incrementAndGet();
            if (type != StnLogic.ectOK) failed.incrementAndGet();
            ended.release();
            return 0;
        }

        @Override
        public void onPush(String ch, int cmd, int id, byte[] d) {}
    }

    static StnLogic.Task task() {
        return task(null);
    }

    static StnLogic.Task task(String channel) {
        StnLogic.Task t = new StnLogic.Task(StnLogic.LONGLINK, Marsd.CMD_ECHO, null, null);
        t.limitFrequency = false;
        t.needAuthed = false;
        t.channelName = channel;
        return t;
    }

    /** Tasks/s of N echo tasks, 64 in flight, started round robin on channels (null: the main link). */
    static double pipelined(Stn s, Counter cb, String... channels) throws InterruptedException {
        int window = 64;
        long t0 = System.nanoTime();
        int inFlight = 0;
        int started = 0;
        while (started < N) {
            for (; inFlight < window && started < N; started++, inFlight++) {
                s.startTask(task(channels[started % channels.length]));
            }
            await(cb.ended, 1);
            inFlight--;
            while (cb.ended.tryAcquire()) inFlight--;
        }
        await(cb.ended, inFlight);
        return N / ((System.nanoTime() - t0) / 1e9);
    }

    static Stn.Config config() {
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Marsd.CLIENT_VERSION;
        cfg.longlinkHost = srv.longHost;
        cfg.longlinkPorts = new int[] {srv.longPort};
        return cfg;
    }

    static void await(Semaphore s, int n) throws InterruptedException {
        if (!s.tryAcquire(n, 30, TimeUnit.SECONDS)) throw new AssertionError("tasks did not end");
    }

    @Test
    void taskRoundTripAndCallbackThroughput() throws Exception {
        Counter cb = new Counter();
        try (Stn s = new Stn(config(), cb)) {
            for (int i = 0; i < 500; i++) { // warm up: connect, JIT
                s.startTask(task());
                await(cb.ended, 1);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < N; i++) {
                s.startTask(task());
                await(cb.ended, 1);
            }
            double seqUs = (System.nanoTime() - t0) / 1e3 / N;

            long c0 = cb.callbacks.get();
            double tasksPerS = pipelined(s, cb, (String) null);
            long calls = cb.callbacks.get() - c0;
            System.out.printf("java_sequential_us_per_task=%.1f%n", seqUs);
            System.out.printf("java_pipelined_tasks_per_s=%.0f%n", tasksPerS);
            System.out.printf("java_callbacks_per_s=%.0f (req2Buf+buf2Resp+onTaskEnd on library threads)%n",
                    tasksPerS * calls / N);
            assertEquals(0, cb.failed.get());
        }
        runCBaseline();
    }

    @Test
    void oneLinkAgainstTwoLinks() throws Exception {
        Counter cb = new Counter();
        try (Stn s = new Stn(config(), cb)) {
            s.createLongLink(LongLinkConfig.builder(SECOND).host(srv.longHost).ports(srv.extraPorts.get(SECOND))
                    .build());
            for (int i = 0; i < 500; i++) { // warm up both links: connect, JIT
                s.startTask(task(i % 2 == 0 ? null : SECOND));
                await(cb.ended, 1);
            }
            double one = pipelined(s, cb, (String) null);
            double two = pipelined(s, cb, Stn.DEFAULT_LONGLINK, SECOND);
            System.out.printf("java_pipelined_tasks_per_s one_link=%.0f two_links=%.0f%n", one, two);
            assertEquals(0, cb.failed.get());
        }
    }

    static void runCBaseline() throws Exception {
        String bin = System.getProperty("mars.cbench", "");
        if (bin.isEmpty()) return;
        Process p = new ProcessBuilder(bin, srv.longHost, String.valueOf(srv.longPort),
                String.valueOf(Marsd.CLIENT_VERSION), String.valueOf(N)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        System.out.print(out);
    }
}
