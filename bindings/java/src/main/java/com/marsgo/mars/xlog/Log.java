package com.marsgo.mars.xlog;

/**
 * Mars's static logging facade ({@code com.tencent.mars.xlog.Log}): set an
 * implementation once ({@code Log.setLogImp(new Xlog())}), open the appender, then
 * {@code Log.i(TAG, "...")} anywhere. Until an implementation is set, lines go
 * nowhere. A disabled level returns before any formatting or native call.
 */
public final class Log {
    public static final int LEVEL_VERBOSE = Xlog.LEVEL_VERBOSE;
    public static final int LEVEL_DEBUG = Xlog.LEVEL_DEBUG;
    public static final int LEVEL_INFO = Xlog.LEVEL_INFO;
    public static final int LEVEL_WARNING = Xlog.LEVEL_WARNING;
    public static final int LEVEL_ERROR = Xlog.LEVEL_ERROR;
    public static final int LEVEL_FATAL = Xlog.LEVEL_FATAL;
    public static final int LEVEL_NONE = Xlog.LEVEL_NONE;

    /** What Log forwards to; {@link Xlog} is the libmars implementation. */
    public interface LogImp {
        void logV(long logInstancePtr, String tag, String filename, String funcname, int line, int pid, long tid,
                long maintid, String log);

        void logD(long logInstancePtr, String tag, String filename, String funcname, int line, int pid, long tid,
                long maintid, String log);

        void logI(long logInstancePtr, String tag, String filename, String funcname, int line, int pid, long tid,
                long maintid, String log);

        void logW(long logInstancePtr, String tag, String filename, String funcname, int line, int pid, long tid,
                long maintid, String log);

        void logE(long logInstancePtr, String tag, String filename, String funcname, int line, int pid, long tid,
                long maintid, String log);

        void logF(long logInstancePtr, String tag, String filename, String funcname, int line, int pid, long tid,
                long maintid, String log);

        void appenderOpen(int level, int mode, String cacheDir, String logDir, String nameprefix, int cacheDays);

        void appenderClose();

        void appenderFlush(long logInstancePtr, boolean isSync);

        int getLogLevel(long logInstancePtr);

        void setLogLevel(long logInstancePtr, int level);

        void setConsoleLogOpen(long logInstancePtr, boolean isOpen);
    }

    private static volatile LogImp logImp;

    private Log() {}

    public static void setLogImp(LogImp imp) {
        logImp = imp;
    }

    public static LogImp getImpl() {
        return logImp;
    }

    public static void appenderOpen(int level, int mode, String cacheDir, String logDir, String nameprefix,
            int cacheDays) {
        LogImp l = logImp;
        if (l != null) l.appenderOpen(level, mode, cacheDir, logDir, nameprefix, cacheDays);
    }

    public static void appenderClose() {
        LogImp l = logImp;
        if (l != null) l.appenderClose();
    }

    /** Wakes the writer (asynchronous). */
    public static void appenderFlush() {
        appenderFlushSync(false);
    }

    /** With isSync, returns once every earlier line is in the file. */
    public static void appenderFlushSync(boolean isSync) {
        LogImp l = logImp;
        if (l != null) l.appenderFlush(0, isSync);
    }

    public static int getLogLevel() {
        LogImp l = logImp;
        return l == null ? LEVEL_NONE : l.getLogLevel(0);
    }

    /** Mars's setLevel(level, jni): the jni flag is ignored (there is one level). */
    public static void setLevel(int level, boolean jni) {
        LogImp l = logImp;
        if (l != null) l.setLogLevel(0, level);
    }

    public static void setConsoleLogOpen(boolean isOpen) {
        LogImp l = logImp;
        if (l != null) l.setConsoleLogOpen(0, isOpen);
    }

    public static void v(String tag, String msg) {
        log(LEVEL_VERBOSE, tag, msg);
    }

    public static void d(String tag, String msg) {
        log(LEVEL_DEBUG, tag, msg);
    }

    public static void i(String tag, String msg) {
        log(LEVEL_INFO, tag, msg);
    }

    public static void w(String tag, String msg) {
        log(LEVEL_WARNING, tag, msg);
    }

    public static void e(String tag, String msg) {
        log(LEVEL_ERROR, tag, msg);
    }

    public static void f(String tag, String msg) {
        log(LEVEL_FATAL, tag, msg);
    }

    public static void v(String tag, String format, Object... args) {
        logf(LEVEL_VERBOSE, tag, format, args);
    }

    public static void d(String tag, String format, Object... args) {
        logf(LEVEL_DEBUG, tag, format, args);
    }

    public static void i(String tag, String format, Object... args) {
        logf(LEVEL_INFO, tag, format, args);
    }

    public static void w(String tag, String format, Object... args) {
        logf(LEVEL_WARNING, tag, format, args);
    }

    public static void e(String tag, String format, Object... args) {
        logf(LEVEL_ERROR, tag, format, args);
    }

    public static void f(String tag, String format, Object... args) {
        logf(LEVEL_FATAL, tag, format, args);
    }

    /** Logs an error line with the throwable's stack trace. */
    public static void printErrStackTrace(String tag, Throwable tr, String format, Object... args) {
        LogImp l = logImp;
        if (l == null || !enabled(l, LEVEL_ERROR)) return;
        java.io.StringWriter w = new java.io.StringWriter();
        tr.printStackTrace(new java.io.PrintWriter(w));
        String head = format == null ? "" : (args == null || args.length == 0 ? format : String.format(format, args));
        log(LEVEL_ERROR, tag, head + "  " + w);
    }

    private static boolean enabled(LogImp l, int level) {
        return !(l instanceof Xlog) || ((Xlog) l).isEnabled(0, level);
    }

    private static void logf(int level, String tag, String format, Object... args) {
        LogImp l = logImp;
        if (l == null || !enabled(l, level)) return;
        log(level, tag, args == null || args.length == 0 ? format : String.format(format, args));
    }

    private static void log(int level, String tag, String msg) {
        LogImp l = logImp;
        if (l == null || !enabled(l, level)) return;
        String m = msg == null ? "" : msg;
        switch (level) {
            case LEVEL_VERBOSE -> l.logV(0, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_DEBUG -> l.logD(0, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_INFO -> l.logI(0, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_WARNING -> l.logW(0, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_ERROR -> l.logE(0, tag, "", "", 0, 0, 0, 0, m);
            default -> l.logF(0, tag, "", "", 0, 0, 0, 0, m);
        }
    }
}
