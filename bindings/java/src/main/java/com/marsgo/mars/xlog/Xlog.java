package com.marsgo.mars.xlog;

import com.marsgo.mars.Mars;
import com.marsgo.mars.MarsException;
import java.nio.charset.StandardCharsets;

/**
 * libmars's xlog appender (mars_xlog) behind Mars's {@code Xlog} shape: the
 * {@link Log.LogImp} that {@link Log} forwards to, plus instance handles for more
 * appenders ({@link #openLogInstance}) and the decoder ({@link #decode}).
 *
 * <p>{@code logInstancePtr} 0 means this object's default appender (opened with
 * {@link #appenderOpen}); other values are handles from {@link #openLogInstance}.
 * Lines written while no default appender is open are dropped, as in Mars; any
 * other failure throws {@link MarsException}.
 *
 * <p>Text: message, tag, file and function are passed as standard UTF-8 (an
 * unpaired surrogate becomes U+FFFD, a NUL becomes U+2400 "␀" so nothing after it
 * is lost); a null message logs an empty line. Config strings (directories,
 * prefix, key) with a NUL are refused with EINVAL. Lines longer than
 * {@link #MAX_LINE} are cut and marked, see there.
 */
public class Xlog implements Log.LogImp, AutoCloseable {
    static {
        Mars.loadDefaultMarsLibrary();
    }

    public static final int LEVEL_ALL = 0;
    public static final int LEVEL_VERBOSE = 0;
    public static final int LEVEL_DEBUG = 1;
    public static final int LEVEL_INFO = 2;
    public static final int LEVEL_WARNING = 3;
    public static final int LEVEL_ERROR = 4;
    public static final int LEVEL_FATAL = 5;
    public static final int LEVEL_NONE = 6;

    /**
     * The most bytes one line takes in a log file, prefix and newline included
     * (MARS_XLOG_MAX_LINE). A longer message is not dropped: it is cut on a
     * character boundary, ends in "…[truncated N bytes]" and counts in
     * {@link Stats#linesTruncated}; {@link #write} still succeeds. Split long
     * payloads into several lines.
     */
    public static final int MAX_LINE = 16384;

    /** Mars's spelling, kept so Mars apps compile. */
    public static final int AppednerModeAsync = 0;
    public static final int AppednerModeSync = 1;

    /** Compression modes, with Mars's numbers (MARS_XLOG_COMPRESS_*). Mars's decoders read zlib and zstd. */
    public static final int ZLIB_MODE = 0;
    public static final int ZSTD_MODE = 1;
    /** Faster and larger; only libmars's decoder reads it. It was 1 before 0.2.0, which is zstd now. */
    public static final int LZ4_MODE = 3;

    /** Highest {@link XLogConfig#compresslevel} per codec (0 takes the codec's default: zlib 6, zstd 3). */
    public static final int ZLIB_LEVEL_MAX = 9;
    public static final int ZSTD_LEVEL_MAX = 22;

    /** An appender's counters since open (mars_xlog_stats). */
    public static final class Stats {
        public final long linesWritten;
        public final long linesDropped;
        public final long linesLost;
        public final long blockedWaits;
        public final long blocks;
        public final long bytesWritten;
        public final long writeErrors;
        public final boolean mapped;
        /** Lines cut to {@link Xlog#MAX_LINE}; each ends in "…[truncated N bytes]". */
        public final long linesTruncated;

        Stats(long[] v) {
            linesWritten = v[0];
            linesDropped = v[1];
            linesLost = v[2];
            blockedWaits = v[3];
            blocks = v[4];
            bytesWritten = v[5];
            writeErrors = v[6];
            mapped = v[7] != 0;
            linesTruncated = v[8];
        }
    }

    private volatile long handle;
    /** The default appender's level, cached so a disabled line costs no native call. */
    private volatile int level = LEVEL_NONE;

    /** No appender yet: call {@link #appenderOpen} (or use {@link #open}). */
    public Xlog() {}

    /** A new Xlog with its default appender open. */
    public static Xlog open(XLogConfig cfg) {
        Xlog x = new Xlog();
        x.appenderOpen(cfg);
        return x;
    }

    /** Opens this object's default appender; throws ESTATE if one is already open. */
    public synchronized void appenderOpen(XLogConfig cfg) {
        if (handle != 0) throw new MarsException(MarsException.ESTATE, "mars: appender already open");
        handle = openLogInstance(cfg);
        level = cfg.level;
    }

    @Override
    public void appenderOpen(int level, int mode, String cacheDir, String logDir, String nameprefix, int cacheDays) {
        XLogConfig c = new XLogConfig();
        c.level = level;
        c.mode = mode;
        c.cachedir = cacheDir;
        c.logdir = logDir;
        c.nameprefix = nameprefix;
        c.cachedays = cacheDays;
        appenderOpen(c);
    }

    /** The default appender's handle (0 if none is open), e.g. for {@code Stn.Config.logInstance}. */
    public long getLogInstance() {
        return handle;
    }

    /** Opens another appender and returns its handle (for logInstancePtr). */
    public long openLogInstance(XLogConfig cfg) {
        if (cfg == null) throw new MarsException(MarsException.EINVAL, "mars: null XLogConfig");
        long[] out = new long[1];
        int rc = nativeOpen(cfg.mode, cfg.logdir, cfg.cachedir, cfg.nameprefix, cfg.pubkey, cfg.compressmode,
                cfg.compresslevel, cfg.level, cfg.maxFileSize, cfg.maxAliveTimeMs, cfg.cachedays, cfg.console, cfg.nonBlocking,
                cfg.maxBlockWaitMs, cfg.flushIntervalMs, cfg.bufferSize, out);
        Mars.check(rc, () -> nativeErrmsg(0));
        return out[0];
    }

    /** Closes an appender from {@link #openLogInstance}. */
    public void releaseXlogInstance(long logInstancePtr) {
        int rc = nativeClose(logInstancePtr);
        Mars.check(rc, () -> nativeErrmsg(0));
    }

    /** Writes the closing banner, flushes and closes the default appender; again does nothing. */
    @Override
    public synchronized void appenderClose() {
        long h = handle;
        if (h == 0) return;
        handle = 0;
        level = LEVEL_NONE;
        Mars.check(nativeClose(h), () -> nativeErrmsg(0));
    }

    @Override
    public void close() {
        appenderClose();
    }

    private long target(long logInstancePtr) {
        return logInstancePtr != 0 ? logInstancePtr : handle;
    }

    /** Whether a line at level would be written (cheap for the default appender). */
    public boolean isEnabled(long logInstancePtr, int lineLevel) {
        if (logInstancePtr == 0) return handle != 0 && lineLevel >= level;
        return lineLevel >= getLogLevel(logInstancePtr);
    }

    /**
     * Writes one line with the current time and the calling thread's id.
     *
     * A message longer than {@link #MAX_LINE} is cut and marked "…[truncated N bytes]".
     *
     * @throws MarsException EINVAL for a level outside VERBOSE..FATAL, EBADHANDLE for a closed appender
     */
    public void write(long logInstancePtr, int lineLevel, String tag, String file, String func, int line, String msg) {
        long h = target(logInstancePtr);
        if (logInstancePtr == 0 && h == 0) return; // Mars: nothing open, nothing written
        if (logInstancePtr == 0 && lineLevel < level && lineLevel >= LEVEL_VERBOSE) return;
        int rc = nativeWrite(h, lineLevel, tag, file, func, line, msg == null ? "" : msg);
        if (rc == MarsException.EBADHANDLE && logInstancePtr == 0 && handle != h) return; // closed meanwhile: dropped
        if (rc != MarsException.OK) Mars.check(rc, () -> nativeErrmsg(h));
    }

    /** Writes to the default appender. */
    public void write(int lineLevel, String tag, String msg) {
        write(0, lineLevel, tag, "", "", 0, msg);
    }

    @Override
    public void logV(long p, String tag, String file, String func, int line, int pid, long tid, long mt, String log) {
        write(p, LEVEL_VERBOSE, tag, file, func, line, log);
    }

    @Override
    public void logD(long p, String tag, String file, String func, int line, int pid, long tid, long mt, String log) {
        write(p, LEVEL_DEBUG, tag, file, func, line, log);
    }

    @Override
    public void logI(long p, String tag, String file, String func, int line, int pid, long tid, long mt, String log) {
        write(p, LEVEL_INFO, tag, file, func, line, log);
    }

    @Override
    public void logW(long p, String tag, String file, String func, int line, int pid, long tid, long mt, String log) {
        write(p, LEVEL_WARNING, tag, file, func, line, log);
    }

    @Override
    public void logE(long p, String tag, String file, String func, int line, int pid, long tid, long mt, String log) {
        write(p, LEVEL_ERROR, tag, file, func, line, log);
    }

    @Override
    public void logF(long p, String tag, String file, String func, int line, int pid, long tid, long mt, String log) {
        write(p, LEVEL_FATAL, tag, file, func, line, log);
    }

    @Override
    public void appenderFlush(long logInstancePtr, boolean isSync) {
        long h = target(logInstancePtr);
        Mars.check(nativeFlush(h, isSync), () -> nativeErrmsg(h));
    }

    @Override
    public int getLogLevel(long logInstancePtr) {
        long h = target(logInstancePtr);
        int[] out = new int[1];
        Mars.check(nativeGetLevel(h, out), () -> nativeErrmsg(h));
        return out[0];
    }

    @Override
    public void setLogLevel(long logInstancePtr, int newLevel) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetLevel(h, newLevel), () -> nativeErrmsg(h));
        if (logInstancePtr == 0) level = newLevel;
    }

    @Override
    public void setConsoleLogOpen(long logInstancePtr, boolean isOpen) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetConsole(h, isOpen), () -> nativeErrmsg(h));
    }

    /** Mars's setAppenderMode: AppednerModeAsync or AppednerModeSync at run time. */
    public void setAppenderMode(long logInstancePtr, int mode) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetMode(h, mode), () -> nativeErrmsg(h));
    }

    /** Mars's setMaxFileSize: split files at this many bytes from the next write on; 0 = one per day. */
    public void setMaxFileSize(long logInstancePtr, long maxBytes) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetMaxFileSize(h, maxBytes), () -> nativeErrmsg(h));
    }

    /** Mars's setMaxAliveTime, in seconds as there; below one day is raised to one day. */
    public void setMaxAliveTime(long logInstancePtr, long aliveSeconds) {
        long h = target(logInstancePtr);
        long ms = aliveSeconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : aliveSeconds * 1000;
        Mars.check(nativeSetMaxAliveTime(h, ms), () -> nativeErrmsg(h));
    }

    /** The appender's counters; lines never vanish silently (dropped/lost are counted). */
    public Stats getStats(long logInstancePtr) {
        long h = target(logInstancePtr);
        long[] out = new long[9];
        Mars.check(nativeGetStats(h, out), () -> nativeErrmsg(h));
        return new Stats(out);
    }

    /**
     * Decodes an xlog file to text, like Mars's decoder (damage is skipped with
     * Mars's markers).
     *
     * @param privKey null/"" for clear text, 64 hex chars (Mars) or an HPKE private key
     * @throws PartialDecodeException if the file was damaged (its {@code text}
     *     holds every line that could be decoded) or encrypted blocks stayed closed
     */
    public static String decode(String path, String privKey) {
        byte[][] out = new byte[1][];
        int rc = nativeDecode(path, privKey, out);
        if (rc == MarsException.EPARTIAL) {
            throw partial(rc, new String(out[0], StandardCharsets.UTF_8));
        }
        Mars.check(rc, () -> nativeErrmsg(0));
        return new String(out[0], StandardCharsets.UTF_8);
    }

    /**
     * Decodes the xlog file at inPath into the text file outPath.
     *
     * @throws PartialDecodeException if the file was damaged; outPath holds
     *     every line that could be decoded
     */
    public static void decodeToFile(String inPath, String privKey, String outPath) {
        int rc = nativeDecodeFile(inPath, privKey, outPath);
        if (rc == MarsException.EPARTIAL) throw partial(rc, null);
        Mars.check(rc, () -> nativeErrmsg(0));
    }

    private static PartialDecodeException partial(int rc, String text) {
        return new PartialDecodeException("mars: " + Mars.errstr(rc) + " (code " + rc + "): " + nativeErrmsg(0), text);
    }

    private static native int nativeOpen(int mode, String logDir, String cacheDir, String prefix, String pubKey,
            int compress, int compressLevel, int level, long maxFileSize, long maxAliveMs, int cacheDays, boolean console,
            boolean nonBlocking, long maxBlockWaitMs, long flushIntervalMs, int bufferSize, long[] out);

    private static native int nativeClose(long handle);

    private static native int nativeWrite(long handle, int level, String tag, String file, String func, int line,
            String msg);

    private static native int nativeFlush(long handle, boolean sync);

    private static native int nativeSetLevel(long handle, int level);

    private static native int nativeGetLevel(long handle, int[] out);

    private static native int nativeSetConsole(long handle, boolean on);

    private static native int nativeGetStats(long handle, long[] out);

    private static native int nativeSetMode(long handle, int mode);

    private static native int nativeSetMaxFileSize(long handle, long bytes);

    private static native int nativeSetMaxAliveTime(long handle, long ms);

    private static native String nativeErrmsg(long handle);

    private static native int nativeDecode(String path, String key, byte[][] out);

    private static native int nativeDecodeFile(String inPath, String key, String outPath);
}
