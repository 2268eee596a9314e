package com.marsgo.mars.xlog;

/**
 * Appender settings (mars_xlog_config), with Mars's {@code XLogConfig} field names
 * first. Zero or null means the library's default (mars.h gives each).
 */
public class XLogConfig {
    /** Lowest level written, Xlog.LEVEL_*; default LEVEL_VERBOSE (0). */
    public int level = Xlog.LEVEL_VERBOSE;
    /** {@link Xlog#AppednerModeAsync} (default) or {@link Xlog#AppednerModeSync}. */
    public int mode = Xlog.AppednerModeAsync;
    /** Required: where log files go (created if missing). */
    public String logdir;
    /** File name prefix; default "mars". */
    public String nameprefix;
    /** null/"" clear text; 128 hex chars = Mars secp256k1+TEA; or an HPKE public key. */
    public String pubkey;
    /** {@link Xlog#ZLIB_MODE} (default), {@link Xlog#ZSTD_MODE} (both Mars-compatible) or {@link Xlog#LZ4_MODE}. */
    public int compressmode = Xlog.ZLIB_MODE;
    /**
     * 0 = the codec's default (zlib 6, zstd 3); zlib 1-9, zstd 1-22; LZ4 only 0. Another value fails the open
     * with EINVAL. Unlike Mars, zlib honours it too.
     */
    public int compresslevel;
    /** Buffer file and fallback log folder; optional. */
    public String cachedir;
    /** With cachedir: keep logs there this many days; default 0. */
    public int cachedays;

    /** Bytes per file; 0 = one file per day. */
    public long maxFileSize;
    /** Older files are deleted after open; 0 = 10 days. */
    public long maxAliveTimeMs;
    /** Mirror every line to stdout. */
    public boolean console;
    /** Drop (and count) lines when the buffer is full instead of waiting. */
    public boolean nonBlocking;
    /** How long a write may wait for buffer space; 0 = 1000 ms. */
    public long maxBlockWaitMs;
    /** The buffer is written at least this often; 0 = 15 min. */
    public long flushIntervalMs;
    /** Bytes per buffer half; 0 = 153600 (at least 32768). */
    public int bufferSize;
}
