package com.marsgo.mars;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads the JNI glue and libmars, in this order:
 *
 * <ol>
 *   <li>the system property {@code mars.jni.library} or the environment variable
 *       {@code MARS_JNI_LIBRARY}: the full path of a {@code libmarsjni.so} (which
 *       finds {@code libmars.so.0} beside it, or through the system loader);</li>
 *   <li>the libraries this jar carries for the running platform, under
 *       {@code com/marsgo/mars/native/<os>-<arch>/}: copied into a fresh directory
 *       only this user can read, loaded, then deleted (the mappings stay);</li>
 *   <li>{@code System.loadLibrary}: {@code java.library.path}, or on Android the
 *       app's {@code jni/<abi>/} folder.</li>
 * </ol>
 */
final class NativeLoader {
    /** Where the libraries of each platform sit inside the jar. */
    static final String RESOURCE_DIR = "/com/marsgo/mars/native/";
    /** The bundled files, in load order: libmars first, then the glue that links it. */
    static final List<String> BUNDLED = List.of("libmars.so." + Mars.EXPECTED_MAJOR, "libmarsjni.so");

    private NativeLoader() {}

    /** Loads the libraries; returns where from (a path, "bundled ..." or "java.library.path"). */
    static String load() {
        String path = System.getProperty("mars.jni.library");
        if (path == null || path.isEmpty()) path = System.getenv("MARS_JNI_LIBRARY");
        if (path != null && !path.isEmpty()) {
            System.load(path);
            return path;
        }
        String platform = platform();
        if (platform != null && NativeLoader.class.getResource(RESOURCE_DIR + platform + "/libmarsjni.so") != null) {
            loadBundled(platform);
            return "bundled " + platform;
        }
        loadMarsFirst();
        System.loadLibrary("marsjni");
        return "java.library.path";
    }

    /** "linux-x86_64" or "linux-aarch64" on the platforms a jar can carry; null elsewhere. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || System.getProperty("java.vm.vendor", "").contains("Android")) return null;
        switch (System.getProperty("os.arch", "")) {
            case "amd64":
            case "x86_64":
                return "linux-x86_64";
            case "aarch64":
            case "arm64":
                return "linux-aarch64";
            default:
                return null;
        }
    }

    private static void loadBundled(String platform) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mars-native-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (String name : BUNDLED) {
                Path file = dir.resolve(name);
                try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE_DIR + platform + "/" + name)) {
                    if (in == null) throw new UnsatisfiedLinkError("mars: the jar has no " + platform + "/" + name);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                System.load(file.toString());
            }
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError(
                    "mars: cannot extract the bundled libraries (set mars.jni.library to a libmarsjni.so instead): " + e);
            err.initCause(e);
            throw err;
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            for (String name : BUNDLED) Files.deleteIfExists(dir.resolve(name));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

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
}
