package com.marsgo.mars;

import java.util.function.Supplier;

/**
 * Loads the JNI glue ({@code libmarsjni.so}, which links {@code libmars.so.0}) once,
 * refuses a library whose major version differs from the one this binding was
 * written for, and turns result codes into {@link MarsException} in one place
 * ({@link #check}).
 *
 * <p>The library is found through the system property {@code mars.jni.library} or
 * the environment variable {@code MARS_JNI_LIBRARY} (a full path), else among the
 * libraries the jar carries (linux-x86_64: {@code libmarsjni.so} and
 * {@code libmars.so.0}, extracted to a private directory), else through
 * {@code java.library.path}. On Android, the AAR (or {@code jniLibs/<abi>/})
 * holds {@code libmarsjni.so} and {@code libmars.so}. {@link #loadedFrom()} says
 * which.
 */
public final class Mars {
    /** The major version of mars.h this binding is written against. */
    public static final int EXPECTED_MAJOR = 0;

    private static final int LIBRARY_VERSION;
    private static final String LIBRARY_VERSION_STRING;
    private static final String LOADED_FROM;

    static {
        LOADED_FROM = NativeLoader.load();
        int lib = nativeVersionNumber();
        try {
            checkVersion(lib, nativeHeaderVersionNumber());
        } catch (MarsException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError(e.getMessage());
            err.initCause(e);
            throw err;
        }
        LIBRARY_VERSION = lib;
        LIBRARY_VERSION_STRING = nativeVersion();
    }

    private Mars() {}

    /**
     * Loads the library if that has not happened yet; the name Mars's Android SDK
     * uses for the same step. Safe to call any number of times.
     */
    public static void loadDefaultMarsLibrary() {
        // The static initialiser did the work.
    }

    /**
     * Mars's app start: creates the default STN engine ({@link BaseEvent#onCreate}).
     * Mars's {@code init(Context, Handler)}, which must come first on Android, does
     * not exist on a plain JVM: nothing needs a context here.
     */
    public static void onCreate(boolean isFirstStartup) {
        BaseEvent.onCreate();
    }

    /** Mars's app end: destroys the default STN engine ({@link BaseEvent#onDestroy}). */
    public static void onDestroy() {
        BaseEvent.onDestroy();
    }

    /**
     * Where the native libraries were loaded from: the path given in
     * {@code mars.jni.library} / {@code MARS_JNI_LIBRARY}, {@code "bundled <platform>"}
     * (from this jar), or {@code "java.library.path"}.
     */
    public static String loadedFrom() {
        return LOADED_FROM;
    }

    /** The loaded library's version, "X.Y.Z". */
    public static String version() {
        return LIBRARY_VERSION_STRING;
    }

    /** The loaded library's X*1000000 + Y*1000 + Z. */
    public static int versionNumber() {
        return LIBRARY_VERSION;
    }

    /**
     * Whether the loaded library has a feature (mars_has_feature). The names are
     * listed in mars.h ("stn", "poll", "max_in_flight", ...); an unknown name or
     * null is false.
     */
    public static boolean hasFeature(String name) {
        return name != null && nativeHasFeature(name);
    }

    /**
     * Refuses a library or glue whose major version is not {@link #EXPECTED_MAJOR}.
     *
     * @param library mars_version_number() of the loaded library
     * @param header MARS_VERSION_NUMBER of the mars.h the glue was compiled with
     * @throws MarsException with {@link MarsException#EUNSUPPORTED} on a mismatch
     */
    public static void checkVersion(int library, int header) {
        int libMajor = library / 1_000_000;
        int hdrMajor = header / 1_000_000;
        if (libMajor != EXPECTED_MAJOR || hdrMajor != EXPECTED_MAJOR) {
            throw new MarsException(MarsException.EUNSUPPORTED, String.format(
                    "mars: library version %d and glue header version %d, but this binding needs major %d",
                    library, header, EXPECTED_MAJOR));
        }
    }

    /** The fixed English text of a result code (mars_errstr). */
    public static String errstr(int code) {
        return nativeErrstr(code);
    }

    /**
     * The one place that turns a result code into an exception: returns for
     * {@code MARS_OK}, otherwise throws {@link MarsException} whose message holds
     * the code's text and, if any, the detail (fetched only on failure).
     */
    public static void check(int rc, Supplier<String> detail) {
        if (rc == MarsException.OK) return;
        String text = nativeErrstr(rc);
        String more = detail == null ? null : detail.get();
        String msg = "mars: " + text + " (code " + rc + ")";
        if (more != null && !more.isEmpty()) msg += ": " + more;
        throw new MarsException(rc, msg);
    }

    private static native int nativeVersionNumber();

    private static native int nativeHeaderVersionNumber();

    private static native String nativeVersion();

    private static native String nativeErrstr(int code);

    private static native boolean nativeHasFeature(String name);
}
