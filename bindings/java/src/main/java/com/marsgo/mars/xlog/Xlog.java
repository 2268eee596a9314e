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
 * {@link #appenderOpen}), or, while it has none, the process-wide one opened by
 * the static {@link #open(boolean, int, int, String, String, String, String)};
 * other values are handles from {@code openLogInstance}.
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
    /** Mars's number for zstd. */
    public static final int ZSTD_MODE = 1;
    /** Faster and larger; only libmars's decoder reads it. It was 1 before 0.2.0, which is zstd now. */
    public static final int LZ4_MODE = 3;

    /** Highest {@link XLogConfig#compresslevel} per codec (0 takes the codec's default: zlib 6, zstd 3). */
    public static final int ZLIB_LEVEL_MAX = 9;
    public static final int ZSTD_LEVEL_MAX = 22;

    // Mars's compression levels (zlib 1-9).
    public static final int COMPRESS_LEVEL1 = 1;
    public static final int COMPRESS_LEVEL2 = 2;
    public static final int COMPRESS_LEVEL3 = 3;
    public static final int COMPRESS_LEVEL4 = 4;
    public static final int COMPRESS_LEVEL5 = 5;
    public static final int COMPRESS_LEVEL6 = 6;
    public static final int COMPRESS_LEVEL7 = 7;
    public static final int COMPRESS_LEVEL8 = 8;
    public static final int COMPRESS_LEVEL9 = 9;

    /** One line's origin, as Mars's {@code Xlog.XLoggerInfo} (for {@link #logWrite}). */
    static class XLoggerInfo {
        public int level;
        public String tag;
        public String filename;
        public String funcname;
        public int line;
        public long pid;
        public long tid;
        public long maintid;
    }

    /**
     * Mars's appender settings ({@code Xlog.XLogConfig}), for
     * {@link #newXlogInstance}; {@link com.marsgo.mars.xlog.XLogConfig} has
     * libmars's further settings.
     */
    public static class XLogConfig {
        public int level = LEVEL_INFO;
        public int mode = AppednerModeAsync;
        public String logdir;
        public String nameprefix;
        public String pubkey = "";
        public int compressmode = ZLIB_MODE;
        public int compresslevel = 0;
        public String cachedir;
        public int cachedays = 0;

        com.marsgo.mars.xlog.XLogConfig toConfig() {
            com.marsgo.mars.xlog.XLogConfig c = config(level, mode, cachedir, logdir, nameprefix, cachedays);
            c.pubkey = pubkey;
            c.compressmode = compressmode;
            c.compresslevel = compresslevel;
            return c;
        }
    }

    /**
     * The process-wide default appender of Mars's static calls ({@link #open},
     * {@link #logWrite2}); an Xlog without an appender of its own writes there.
     */
    private static final Xlog GLOBAL = new Xlog();
    /** Appenders opened by name prefix ({@link #openLogInstance(int, int, String, String, String, int)}). */
    private static final java.util.Map<String, Long> NAMED = new java.util.HashMap<>();

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

    /**
     * Mars's {@code Xlog.open}: opens the process-wide default appender, which
     * every Xlog without an appender of its own (e.g. {@code Log.setLogImp(new
     * Xlog())}) writes to. isLoadLib: load the native library first (it always is).
     */
    public static void open(boolean isLoadLib, int level, int mode, String cacheDir, String logDir,
            String nameprefix, String pubkey) {
        if (isLoadLib) Mars.loadDefaultMarsLibrary();
        com.marsgo.mars.xlog.XLogConfig c = config(level, mode, cacheDir, logDir, nameprefix, 0);
        c.pubkey = pubkey;
        GLOBAL.appenderOpen(c);
    }

    private static com.marsgo.mars.xlog.XLogConfig config(int level, int mode, String cacheDir, String logDir,
            String nameprefix, int cacheDays) {
        com.marsgo.mars.xlog.XLogConfig c = new com.marsgo.mars.xlog.XLogConfig();
        c.level = level;
        c.mode = mode;
        c.cachedir = cacheDir;
        c.logdir = logDir;
        c.nameprefix = nameprefix;
        c.cachedays = cacheDays;
        return c;
    }

    /** Mars's logWrite: one line to the default appender. */
    public static void logWrite(XLoggerInfo logInfo, String log) {
        if (logInfo == null) return;
        GLOBAL.write(0, logInfo.level, logInfo.tag, logInfo.filename, logInfo.funcname, logInfo.line, log);
    }

    /** Mars's logWrite2 to the default appender. */
    public static void logWrite2(int level, String tag, String filename, String funcname, int line, int pid, long tid,
            long maintid, String log) {
        GLOBAL.write(0, level, tag, filename, funcname, line, log);
    }

    /** Mars's logWrite2 to the appender logInstancePtr (0 = the default one). */
    public static void logWrite2(long logInstancePtr, int level, String tag, String filename, String funcname,
            int line, int pid, long tid, long maintid, String log) {
        GLOBAL.write(logInstancePtr, level, tag, filename, funcname, line, log);
    }

    /**
     * Mars's openLogInstance: opens an appender named nameprefix and returns its
     * handle, or the handle already open under that name.
     */
    @Override
    public long openLogInstance(int level, int mode, String cacheDir, String logDir, String nameprefix,
            int cacheDays) {
        return openNamed(config(level, mode, cacheDir, logDir, nameprefix, cacheDays));
    }

    /** Mars's newXlogInstance: like openLogInstance, from Mars's config. */
    public long newXlogInstance(XLogConfig logConfig) {
        if (logConfig == null) throw new MarsException(MarsException.EINVAL, "mars: null XLogConfig");
        return openNamed(logConfig.toConfig());
    }

    private long openNamed(com.marsgo.mars.xlog.XLogConfig c) {
        synchronized (NAMED) {
            Long h = NAMED.get(c.nameprefix);
            if (h != null) return h;
            long handle = openLogInstance(c);
            NAMED.put(c.nameprefix, handle);
            return handle;
        }
    }

    /** The handle open under nameprefix, or 0. */
    @Override
    public long getXlogInstance(String nameprefix) {
        synchronized (NAMED) {
            return NAMED.getOrDefault(nameprefix, 0L);
        }
    }

    /** Closes the appender open under nameprefix; an unknown name does nothing. */
    @Override
    public void releaseXlogInstance(String nameprefix) {
        Long h;
        synchronized (NAMED) {
            h = NAMED.remove(nameprefix);
        }
        if (h != null) releaseXlogInstance(h.longValue());
    }

    /**
     * A new Xlog with its default appender open.
     *
     * @throws MarsException as {@link #openLogInstance(com.marsgo.mars.xlog.XLogConfig)}
     */
    public static Xlog open(com.marsgo.mars.xlog.XLogConfig cfg) {
        Xlog x = new Xlog();
        x.appenderOpen(cfg);
        return x;
    }

    /**
     * Opens this object's default appender; throws ESTATE if one is already open.
     *
     * @throws MarsException ESTATE if this object already has one; else as {@link
     *     #openLogInstance(com.marsgo.mars.xlog.XLogConfig)}
     */
    public synchronized void appenderOpen(com.marsgo.mars.xlog.XLogConfig cfg) {
        if (handle != 0) throw new MarsException(MarsException.ESTATE, "mars: appender already open");
        handle = openLogInstance(cfg);
        level = cfg.level;
    }

    @Override
    public void appenderOpen(int level, int mode, String cacheDir, String logDir, String nameprefix, int cacheDays) {
        appenderOpen(config(level, mode, cacheDir, logDir, nameprefix, cacheDays));
    }

    /** The default appender's handle (0 if none is open), e.g. for {@code Stn.Config.logInstance}. */
    public long getLogInstance() {
        return handle;
    }

    /**
     * Opens another appender and returns its handle (for logInstancePtr).
     *
     * @throws MarsException EINVAL for a null config, no log dir, a value out of range, a malformed key, a
     *     buffer file another open appender uses, or a NUL in a string; ELIMIT with 4096 open appenders
     */
    public long openLogInstance(com.marsgo.mars.xlog.XLogConfig cfg) {
        if (cfg == null) throw new MarsException(MarsException.EINVAL, "mars: null XLogConfig");
        long[] out = new long[1];
        int rc = nativeOpen(cfg.mode, cfg.logdir, cfg.cachedir, cfg.nameprefix, cfg.pubkey, cfg.compressmode,
                cfg.compresslevel, cfg.level, cfg.maxFileSize, cfg.maxAliveTimeMs, cfg.cachedays, cfg.console, cfg.nonBlocking,
                cfg.maxBlockWaitMs, cfg.flushIntervalMs, cfg.bufferSize, out);
        Mars.check(rc, () -> nativeErrmsg(0));
        return out[0];
    }

    /**
     * Closes an appender from {@link #openLogInstance}.
     *
     * @throws MarsException EBADHANDLE for a closed or unknown handle; EIO if closing the file or unmapping the
     *     buffer failed
     */
    public void releaseXlogInstance(long logInstancePtr) {
        synchronized (NAMED) {
            NAMED.values().remove(logInstancePtr);
        }
        int rc = nativeClose(logInstancePtr);
        Mars.check(rc, () -> nativeErrmsg(0));
    }

    /**
     * Writes the closing banner, flushes and closes the default appender; again does nothing.
     *
     * @throws MarsException EIO if closing the file or unmapping the buffer failed
     */
    @Override
    public void appenderClose() {
        owner().closeOwn();
    }

    private synchronized void closeOwn() {
        long h = handle;
        if (h == 0) return;
        handle = 0;
        level = LEVEL_NONE;
        Mars.check(nativeClose(h), () -> nativeErrmsg(0));
    }

    /**
     * The same as {@link #appenderClose}.
     *
     * @throws MarsException EIO if closing the file or unmapping the buffer failed
     */
    @Override
    public void close() {
        appenderClose();
    }

    /** Whose default appender logInstancePtr 0 means: this one's, else the process-wide one. */
    private Xlog owner() {
        return handle != 0 ? this : GLOBAL;
    }

    private long target(long logInstancePtr) {
        return logInstancePtr != 0 ? logInstancePtr : owner().handle;
    }

    /** Whether a line at level would be written (cheap for the default appender). */
    public boolean isEnabled(long logInstancePtr, int lineLevel) {
        if (logInstancePtr == 0) {
            Xlog o = owner();
            return o.handle != 0 && lineLevel >= o.level;
        }
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
        Xlog o = owner();
        long h = logInstancePtr != 0 ? logInstancePtr : o.handle;
        if (logInstancePtr == 0 && h == 0) return; // Mars: nothing open, nothing written
        if (logInstancePtr == 0 && lineLevel < o.level && lineLevel >= LEVEL_VERBOSE) return;
        int rc = nativeWrite(h, lineLevel, tag, file, func, line, msg == null ? "" : msg);
        if (rc == MarsException.EBADHANDLE && logInstancePtr == 0 && o.handle != h) return; // closed meanwhile: dropped
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

    /**
     * @throws MarsException EBADHANDLE for a closed or unknown appender (0 with no default appender open); ECLOSED
     *     when the call races its close
     */
    @Override
    public void appenderFlush(long logInstancePtr, boolean isSync) {
        long h = target(logInstancePtr);
        Mars.check(nativeFlush(h, isSync), () -> nativeErrmsg(h));
    }

    /**
     * @throws MarsException EBADHANDLE for a closed or unknown appender (0 with no default appender open); ECLOSED
     *     when the call races its close
     */
    @Override
    public int getLogLevel(long logInstancePtr) {
        long h = target(logInstancePtr);
        int[] out = new int[1];
        Mars.check(nativeGetLevel(h, out), () -> nativeErrmsg(h));
        return out[0];
    }

    /**
     * @throws MarsException EINVAL for a level outside LEVEL_ALL..LEVEL_NONE; EBADHANDLE for a closed or unknown
     *     appender (0 with no default appender open); ECLOSED when the call races its close
     */
    @Override
    public void setLogLevel(long logInstancePtr, int newLevel) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetLevel(h, newLevel), () -> nativeErrmsg(h));
        if (logInstancePtr == 0) owner().level = newLevel;
    }

    /**
     * @throws MarsException EBADHANDLE for a closed or unknown appender (0 with no default appender open); ECLOSED
     *     when the call races its close
     */
    @Override
    public void setConsoleLogOpen(long logInstancePtr, boolean isOpen) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetConsole(h, isOpen), () -> nativeErrmsg(h));
    }

    /**
     * Mars's setAppenderMode: AppednerModeAsync or AppednerModeSync at run time.
     *
     * @throws MarsException EINVAL for an unknown mode; EIO if the buffer cannot be set up; EBADHANDLE for a closed
     *     or unknown appender (0 with no default appender open); ECLOSED when the call races its close
     */
    @Override
    public void setAppenderMode(long logInstancePtr, int mode) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetMode(h, mode), () -> nativeErrmsg(h));
    }

    /**
     * Mars's setMaxFileSize: split files at this many bytes from the next write on; 0 = one per day.
     *
     * @throws MarsException EINVAL for a negative size; EBADHANDLE for a closed or unknown appender (0 with no
     *     default appender open); ECLOSED when the call races its close
     */
    @Override
    public void setMaxFileSize(long logInstancePtr, long maxBytes) {
        long h = target(logInstancePtr);
        Mars.check(nativeSetMaxFileSize(h, maxBytes), () -> nativeErrmsg(h));
    }

    /**
     * Mars's setMaxAliveTime, in seconds as there; below one day is raised to one day.
     *
     * @throws MarsException EINVAL for a negative or absurd time; EBADHANDLE for a closed or unknown appender (0
     *     with no default appender open); ECLOSED when the call races its close
     */
    @Override
    public void setMaxAliveTime(long logInstancePtr, long aliveSeconds) {
        long h = target(logInstancePtr);
        long ms = aliveSeconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : aliveSeconds * 1000;
        Mars.check(nativeSetMaxAliveTime(h, ms), () -> nativeErrmsg(h));
    }

    /**
     * The appender's counters; lines never vanish silently (dropped/lost are counted).
     *
     * @throws MarsException EBADHANDLE for a closed or unknown appender (0 with no default appender open); ECLOSED
     *     when the call races its close
     */
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
