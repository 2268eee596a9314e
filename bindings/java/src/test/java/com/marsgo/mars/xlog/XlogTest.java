package com.marsgo.mars.xlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Mars;
import com.marsgo.mars.MarsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xlog through the binding: write, flush, close, decode. */
class XlogTest {
    @TempDir
    Path dir;

    static List<Path> xlogFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(".xlog")).collect(Collectors.toList());
        }
    }

    XLogConfig config(int mode, int compress) {
        XLogConfig c = new XLogConfig();
        c.logdir = dir.resolve("log").toString();
        c.cachedir = dir.resolve("cache").toString();
        c.nameprefix = "jtest";
        c.mode = mode;
        c.compressmode = compress;
        return c;
    }

    void writeAndDecode(int mode, int compress) throws IOException {
        String unicode = "héllo wörld ✓ 😀";
        Xlog.Stats stats;
        try (Xlog x = Xlog.open(config(mode, compress))) {
            for (int i = 0; i < 100; i++) x.write(Xlog.LEVEL_INFO, "jtag", "line " + i);
            x.logW(0, "jtag", "XlogTest.java", "writeAndDecode", 42, 0, 0, 0, unicode);
            x.appenderFlush(0, true);
            stats = x.getStats(0);
        }
        assertTrue(stats.linesWritten >= 101, "our lines plus the library's banner: " + stats.linesWritten);
        assertEquals(0, stats.linesTruncated);
        assertEquals(0, stats.linesDropped + stats.linesLost);
        List<Path> files = xlogFiles(dir.resolve("log"));
        assertEquals(1, files.size(), files.toString());
        String text = Xlog.decode(files.get(0).toString(), null);
        assertTrue(text.contains("line 0"), text);
        assertTrue(text.contains("line 99"));
        assertTrue(text.contains(unicode), "UTF-8 survives exactly");
        assertTrue(text.contains("jtag"));
        Path out = dir.resolve("decoded.txt");
        Xlog.decodeToFile(files.get(0).toString(), "", out.toString());
        assertEquals(text, Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void asyncZlibWriteAndDecode() throws IOException {
        writeAndDecode(Xlog.AppednerModeAsync, Xlog.ZLIB_MODE);
    }

    @Test
    void asyncLz4WriteAndDecode() throws IOException {
        writeAndDecode(Xlog.AppednerModeAsync, Xlog.LZ4_MODE);
    }

    @Test
    void asyncZstdWriteAndDecode() throws IOException {
        writeAndDecode(Xlog.AppednerModeAsync, Xlog.ZSTD_MODE);
    }

    /** Mars's Xlog.ZSTD_MODE = 1 gives zstd blocks (magic 0x0D), lz4 its own number (magic 0x20). */
    @Test
    void compressNumbersAreMars() throws IOException {
        assertEquals(0, Xlog.ZLIB_MODE);
        assertEquals(1, Xlog.ZSTD_MODE);
        int[][] cases = {{Xlog.ZSTD_MODE, 0x0D}, {Xlog.LZ4_MODE, 0x20}};
        for (int[] c : cases) {
            XLogConfig cfg = config(Xlog.AppednerModeAsync, c[0]);
            cfg.logdir = dir.resolve("num" + c[0]).toString();
            try (Xlog x = Xlog.open(cfg)) {
                x.write(Xlog.LEVEL_INFO, "jtag", "numbered");
            }
            List<Path> files = xlogFiles(dir.resolve("num" + c[0]));
            assertEquals(c[1], Files.readAllBytes(files.get(0))[0] & 0xff, "mode " + c[0]);
        }
    }

    /** compresslevel reaches the encoder, and a level the codec lacks fails the open. */
    @Test
    void compressLevel() throws IOException {
        long[] sizes = new long[2];
        int[] levels = {1, Xlog.ZLIB_LEVEL_MAX};
        for (int i = 0; i < 2; i++) {
            XLogConfig cfg = config(Xlog.AppednerModeAsync, Xlog.ZLIB_MODE);
            cfg.logdir = dir.resolve("lv" + i).toString();
            cfg.compresslevel = levels[i];
            try (Xlog x = Xlog.open(cfg)) {
                for (int j = 0; j < 3000; j++) {
                    x.write(Xlog.LEVEL_INFO, "jtag", "level line " + j + " " + (j * 2654435761L % 4294967296L));
                }
            }
            Path f = xlogFiles(dir.resolve("lv" + i)).get(0);
            sizes[i] = Files.size(f);
            assertTrue(Xlog.decode(f.toString(), null).contains("level line 2999"));
        }
        assertTrue(sizes[1] < sizes[0], "level 9 " + sizes[1] + " bytes, level 1 " + sizes[0]);
        int[][] bad = {{Xlog.ZLIB_MODE, 10}, {Xlog.ZSTD_MODE, 23}, {Xlog.LZ4_MODE, 1}};
        for (int[] b : bad) {
            XLogConfig cfg = config(Xlog.AppednerModeAsync, b[0]);
            cfg.compresslevel = b[1];
            MarsException e = assertThrows(MarsException.class, () -> Xlog.open(cfg));
            assertEquals(MarsException.EINVAL, e.code());
        }
    }

    @Test
    void syncWriteAndDecode() throws IOException {
        writeAndDecode(Xlog.AppednerModeSync, Xlog.ZLIB_MODE);
    }

    @Test
    void logFacadeFiltersByLevel() throws IOException {
        Xlog x = new Xlog();
        Log.setLogImp(x);
        try {
            Log.i("before", "dropped: nothing is open yet");
            Log.appenderOpen(Log.LEVEL_VERBOSE, Xlog.AppednerModeAsync, dir.resolve("cache").toString(),
                    dir.resolve("log").toString(), "facade", 0);
            Log.setLevel(Log.LEVEL_WARNING, false);
            assertEquals(Log.LEVEL_WARNING, Log.getLogLevel());
            Log.i("tag", "info-%d", 1);
            Log.w("tag", "warn-%d", 2);
            Log.printErrStackTrace("tag", new IllegalStateException("boom"), "failed %s", "here");
            Log.appenderFlushSync(true);
            Log.appenderClose();
        } finally {
            Log.setLogImp(null);
        }
        String text = Xlog.decode(xlogFiles(dir.resolve("log")).get(0).toString(), null);
        assertFalse(text.contains("info-1"), "below the level: not written");
        assertFalse(text.contains("dropped"), "before open: not written");
        assertTrue(text.contains("warn-2"), text);
        assertTrue(text.contains("IllegalStateException: boom"), text);
    }

    @Test
    void badInputThrows() throws IOException {
        XLogConfig noDir = new XLogConfig();
        MarsException e = assertThrows(MarsException.class, () -> Xlog.open(noDir));
        assertEquals(MarsException.EINVAL, e.code);

        XLogConfig badKey = config(Xlog.AppednerModeAsync, Xlog.ZLIB_MODE);
        badKey.pubkey = "not-a-key";
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> Xlog.open(badKey)).code);

        assertEquals(MarsException.EIO, assertThrows(MarsException.class,
                () -> Xlog.decode(dir.resolve("missing.xlog").toString(), null)).code);

        Path junk = dir.resolve("junk.xlog");
        byte[] random = new byte[1 << 20];
        new java.util.Random(7).nextBytes(random);
        Files.write(junk, random);
        PartialDecodeException p = assertThrows(PartialDecodeException.class,
                () -> Xlog.decode(junk.toString(), null));
        assertEquals(MarsException.EPARTIAL, p.code);
        assertTrue(p.getMessage().contains("skipped"), p.getMessage());
        assertTrue(p.text != null);

        Xlog x = Xlog.open(config(Xlog.AppednerModeSync, Xlog.ZLIB_MODE));
        long h = x.openLogInstance(config(Xlog.AppednerModeSync, Xlog.ZLIB_MODE));
        assertEquals(MarsException.EINVAL,
                assertThrows(MarsException.class, () -> x.write(h, 7, "t", "", "", 0, "bad level")).code);
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> x.setLogLevel(0, 42)).code);
        x.releaseXlogInstance(h);
        assertEquals(MarsException.EBADHANDLE,
                assertThrows(MarsException.class, () -> x.write(h, Xlog.LEVEL_INFO, "t", "", "", 0, "stale")).code);
        assertEquals(MarsException.EBADHANDLE, assertThrows(MarsException.class, () -> x.releaseXlogInstance(h)).code);
        assertEquals(MarsException.ESTATE,
                assertThrows(MarsException.class, () -> x.appenderOpen(config(0, 0))).code);
        x.close();
        x.close(); // again: nothing
        x.write(Xlog.LEVEL_INFO, "t", "after close: dropped as in Mars");
    }

    @Test
    void runtimeSettingsModeSizeAndAge() throws IOException {
        XLogConfig c = config(Xlog.AppednerModeSync, Xlog.ZLIB_MODE);
        try (Xlog x = Xlog.open(c)) {
            x.setMaxFileSize(0, 4096);
            for (int i = 0; i < 300; i++) x.write(Xlog.LEVEL_INFO, "size", "a line long enough to fill files " + i);
            x.setAppenderMode(0, Xlog.AppednerModeAsync);
            x.write(Xlog.LEVEL_INFO, "mode", "written in async mode");
            x.setMaxAliveTime(0, 3 * 24 * 3600);
            assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> x.setAppenderMode(0, 9)).code);
            assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> x.setMaxFileSize(0, -1)).code);
            assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> x.setMaxAliveTime(0, -1)).code);
            x.appenderFlush(0, true);
        }
        List<Path> files = xlogFiles(dir.resolve("log"));
        assertTrue(files.size() > 1, "split at 4 KiB: " + files);
        StringBuilder all = new StringBuilder();
        for (Path f : files) all.append(Xlog.decode(f.toString(), null));
        assertTrue(all.toString().contains("a line long enough to fill files 299"));
        assertTrue(all.toString().contains("written in async mode"));
    }

    @Test
    void bufferFileInUseIsRefused() {
        try (Xlog first = Xlog.open(config(Xlog.AppednerModeAsync, Xlog.ZLIB_MODE))) {
            MarsException e = assertThrows(MarsException.class,
                    () -> Xlog.open(config(Xlog.AppednerModeAsync, Xlog.ZLIB_MODE)));
            assertEquals(MarsException.EINVAL, e.code);
            assertTrue(e.getMessage().length() > Mars.errstr(MarsException.EINVAL).length() + 20,
                    "the detail names the reason: " + e.getMessage());
            first.write(Xlog.LEVEL_INFO, "t", "the first appender still works");
        }
    }

    @Test
    void longLineIsCutMarkedAndCounted() throws IOException {
        Xlog.Stats stats;
        try (Xlog x = Xlog.open(config(Xlog.AppednerModeAsync, Xlog.ZLIB_MODE))) {
            x.write(Xlog.LEVEL_INFO, "jtag", "m".repeat(1 << 20));
            stats = x.getStats(0);
        }
        assertEquals(1, stats.linesTruncated);
        String text = Xlog.decode(xlogFiles(dir.resolve("log")).get(0).toString(), null);
        assertTrue(text.contains("\u2026[truncated "), "the cut is marked");
    }
}
