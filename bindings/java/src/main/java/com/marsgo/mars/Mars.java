package com.marsgo.mars;

import java.util.function.Supplier;

/**
 * Loads the JNI glue ({@code libmarsjni.so}, which links {@code libmars.so.0}) once,
 * refuses a library whose major version differs from the one this binding was
 * written for, and turns result codes into {@link MarsException} in one place
 * ({@link #check}).
 *
 * <p>The library is found through the system property {@code mars.jni.library} or
 * the environment variable {@code MARS_JNI_LIBRARY} (a full path), else through
 * {@code java.library.path}. On Android, put {@code libmarsjni.so} and
 * {@code libmars.so} in {@code jniLibs/<abi>/}.
 */
public final class Mars {
    /** The major version of mars.h this binding is written against. */
    public static final int EXPECTED_MAJOR = 0;

    private static final int LIBRARY_VERSION;
    private static final String LIBRARY_VERSION_STRING;

    static {
        String path = System.getProperty("mars.jni.library");
        if (path == null || path.isEmpty()) path = System.getenv("MARS_JNI_LIBRARY");
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            loadMarsFirst();
            System.loadLibrary("marsjni");
        }
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
     * Android before API 23 does not resolve a library's dependencies from the
     * app's lib folder, so libmars.so is loaded by name first. Elsewhere it may be
     * absent under that name (desktop Linux ships libmars.so.0, found through the
     * glue's RUNPATH); then the glue's own dependency resolution does the work.
     */
    private static void loadMarsFirst() {
        try {
            System.loadLibrary("mars");
        } catch (UnsatisfiedLinkError notThere) {
            // resolved through libmarsjni.so's NEEDED entry instead
        }
    }

    /**
     * Loads the library if that has not happened yet; the name Mars's Android SDK
     * uses for the same step. Safe to call any number of times.
     */
    public static void loadDefaultMarsLibrary() {
        // The static initialiser did the work.
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
