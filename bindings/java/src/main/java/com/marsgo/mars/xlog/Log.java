package com.marsgo.mars.xlog;

/**
 * Mars's static logging facade ({@code com.tencent.mars.xlog.Log}): set an
 * implementation once ({@code Log.setLogImp(new Xlog())}), open the appender, then
 * {@code Log.i(TAG, "...")} anywhere. Until an implementation is set, lines go
 * nowhere. A disabled level returns before any formatting or native call.
 *
 * <p>Mars's {@code Log.toastSupportContext} (an {@code android.content.Context})
 * does not exist on a plain JVM; it only ever served Mars's debug toasts.
 */
public final class Log {
    public static final int LEVEL_VERBOSE = Xlog.LEVEL_VERBOSE;
    public static final int LEVEL_DEBUG = Xlog.LEVEL_DEBUG;
    public static final int LEVEL_INFO = Xlog.LEVEL_INFO;
    public static final int LEVEL_WARNING = Xlog.LEVEL_WARNING;
    public static final int LEVEL_ERROR = Xlog.LEVEL_ERROR;
    public static final int LEVEL_FATAL = Xlog.LEVEL_FATAL;
    public static final int LEVEL_NONE = Xlog.LEVEL_NONE;

    /**
     * What Log forwards to, as Mars's {@code Log.LogImp}; {@link Xlog} is the libmars
     * implementation. {@code logInstancePtr} 0 is the default appender. The fifth
     * parameter of the log methods is the source line (Mars names it linuxTid).
     */
    public interface LogImp {
        void logV(long logInstancePtr, String tag, String filename, String funcname, int linuxTid, int pid, long tid,
                long maintid, String log);

        void logI(long logInstancePtr, String tag, String filename, String funcname, int linuxTid, int pid, long tid,
                long maintid, String log);

        void logD(long logInstancePtr, String tag, String filename, String funcname, int linuxTid, int pid, long tid,
                long maintid, String log);

        void logW(long logInstancePtr, String tag, String filename, String funcname, int linuxTid, int pid, long tid,
                long maintid, String log);

        void logE(long logInstancePtr, String tag, String filename, String funcname, int linuxTid, int pid, long tid,
                long maintid, String log);

        void logF(long logInstancePtr, String tag, String filename, String funcname, int linuxTid, int pid, long tid,
                long maintid, String log);

        int getLogLevel(long logInstancePtr);

        void setAppenderMode(long logInstancePtr, int mode);

        long openLogInstance(int level, int mode, String cacheDir, String logDir, String nameprefix, int cacheDays);

        long getXlogInstance(String nameprefix);

        void releaseXlogInstance(String nameprefix);

        void appenderOpen(int level, int mode, String cacheDir, String logDir, String nameprefix, int cacheDays);

        void appenderClose();

        void appenderFlush(long logInstancePtr, boolean isSync);

        void setConsoleLogOpen(long logInstancePtr, boolean isOpen);

        void setMaxFileSize(long logInstancePtr, long aliveSeconds);

        void setMaxAliveTime(long logInstancePtr, long aliveSeconds);

        /** Not in Mars's interface: changes an appender's level ({@link Log#setLevel}); default does nothing. */
        default void setLogLevel(long logInstancePtr, int level) {}
    }

    /**
     * A named appender's logger, as Mars's {@code Log.LogInstance}: from
     * {@link Log#openLogInstance} or {@link Log#getLogInstance}.
     */
    public static class LogInstance {
        private final long ptr;

        LogInstance(long ptr) {
            this.ptr = ptr;
        }

        public void f(String tag, final String format, final Object... obj) {
            logf(ptr, LEVEL_FATAL, tag, format, obj);
        }

        public void e(String tag, final String format, final Object... obj) {
            logf(ptr, LEVEL_ERROR, tag, format, obj);
        }

        public void w(String tag, final String format, final Object... obj) {
            logf(ptr, LEVEL_WARNING, tag, format, obj);
        }

        public void i(String tag, final String format, final Object... obj) {
            logf(ptr, LEVEL_INFO, tag, format, obj);
        }

        public void d(String tag, final String format, final Object... obj) {
            logf(ptr, LEVEL_DEBUG, tag, format, obj);
        }

        public void v(String tag, final String format, final Object... obj) {
            logf(ptr, LEVEL_VERBOSE, tag, format, obj);
        }

        public void printErrStackTrace(String tag, Throwable tr, final String format, final Object... obj) {
            stackTrace(ptr, tag, tr, format, obj);
        }

        /** Wakes the writer (asynchronous). */
        public void appenderFlush() {
            LogImp l = logImp;
            if (l != null) l.appenderFlush(ptr, false);
        }

        /** Returns once every earlier line is in the file. */
        public void appenderFlushSync() {
            LogImp l = logImp;
            if (l != null) l.appenderFlush(ptr, true);
        }

        public int getLogLevel() {
            LogImp l = logImp;
            return l == null ? LEVEL_NONE : l.getLogLevel(ptr);
        }

        public void setConsoleLogOpen(boolean isOpen) {
            LogImp l = logImp;
            if (l != null) l.setConsoleLogOpen(ptr, isOpen);
        }
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

    /** Opens (or finds) the appender named nameprefix; null with no implementation set. */
    public static LogInstance openLogInstance(int level, int mode, String cacheDir, String logDir, String nameprefix,
            int cacheDays) {
        LogImp l = logImp;
        if (l == null) return null;
        long ptr = l.openLogInstance(level, mode, cacheDir, logDir, nameprefix, cacheDays);
        return ptr == 0 ? null : new LogInstance(ptr);
    }

    /** Closes the appender named prefix (lines to its LogInstance are then refused). */
    public static void closeLogInstance(String prefix) {
        LogImp l = logImp;
        if (l != null) l.releaseXlogInstance(prefix);
    }

    /** The open appender named prefix, or null. */
    public static LogInstance getLogInstance(String prefix) {
        LogImp l = logImp;
        if (l == null) return null;
        long ptr = l.getXlogInstance(prefix);
        return ptr == 0 ? null : new LogInstance(ptr);
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
        stackTrace(0, tag, tr, format, args);
    }

    private static void stackTrace(long ptr, String tag, Throwable tr, String format, Object... args) {
        LogImp l = logImp;
        if (l == null || !enabled(l, ptr, LEVEL_ERROR)) return;
        java.io.StringWriter w = new java.io.StringWriter();
        if (tr != null) tr.printStackTrace(new java.io.PrintWriter(w));
        String head = format == null ? "" : (args == null || args.length == 0 ? format : String.format(format, args));
        log(ptr, LEVEL_ERROR, tag, head + "  " + w);
    }

    private static boolean enabled(LogImp l, long ptr, int level) {
        return !(l instanceof Xlog) || ((Xlog) l).isEnabled(ptr, level);
    }

    private static void logf(int level, String tag, String format, Object... args) {
        logf(0, level, tag, format, args);
    }

    private static void logf(long ptr, int level, String tag, String format, Object... args) {
        LogImp l = logImp;
        if (l == null || !enabled(l, ptr, level)) return;
        log(ptr, level, tag, args == null || args.length == 0 ? format : String.format(format, args));
    }

    private static void log(int level, String tag, String msg) {
        log(0, level, tag, msg);
    }

    private static void log(long ptr, int level, String tag, String msg) {
        LogImp l = logImp;
        if (l == null || !enabled(l, ptr, level)) return;
        String m = msg == null ? "" : msg;
        switch (level) {
            case LEVEL_VERBOSE -> l.logV(ptr, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_DEBUG -> l.logD(ptr, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_INFO -> l.logI(ptr, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_WARNING -> l.logW(ptr, tag, "", "", 0, 0, 0, 0, m);
            case LEVEL_ERROR -> l.logE(ptr, tag, "", "", 0, 0, 0, 0, m);
            default -> l.logF(ptr, tag, "", "", 0, 0, 0, 0, m);
        }
    }
}
