package com.marsgo.mars.sdt;

import com.marsgo.mars.Mars;
import java.nio.charset.StandardCharsets;

/**
 * Active network diagnosis (mars_sdt_check): what a user's "it does not work"
 * report needs, as one blocking call with a JSON request and a JSON report.
 * Mars's Android SDK reports SDT results through a callback that mars2 never
 * calls; here the report is the return value.
 */
public final class Sdt {
    static {
        Mars.loadDefaultMarsLibrary();
    }

    /** Resolve each server name. */
    public static final int CHECK_DNS = 1;
    /** Connect to every address found. */
    public static final int CHECK_TCP = 2;
    /** A heartbeat over a fresh long-link connection. */
    public static final int CHECK_LONGLINK = 4;
    /** GET each URL. */
    public static final int CHECK_HTTP = 8;
    /** ICMP echo (skipped where not permitted). */
    public static final int CHECK_PING = 16;
    /** The local interfaces and routes. */
    public static final int CHECK_NETSTATE = 32;
    public static final int CHECK_ALL = 63;

    private Sdt() {}

    /**
     * Runs the checks of requestJson and returns the JSON report. Blocks until every
     * check finished or the request's timeout passed: never call it from an STN
     * callback.
     *
     * @param requestJson e.g. {@code {"servers":["host:port"],"checks":6,"timeout_ms":5000}}; see mars.h
     * @param clientVersion written in the long-link probe's header
     * @return {@code {"results":[{"kind":..,"target":..,"ok":..,...}],"ok":..,"duration_ms":..}}
     * @throws com.marsgo.mars.MarsException EINVAL for a null or malformed request or a NUL in it (with the
     *     library's detail); EUNSUPPORTED from a library without network diagnosis
     */
    public static String check(String requestJson, int clientVersion) {
        byte[][] out = new byte[1][];
        Mars.check(nativeCheck(requestJson, clientVersion, out), Sdt::nativeErrmsg);
        return new String(out[0], StandardCharsets.UTF_8);
    }

    private static native int nativeCheck(String requestJson, int clientVersion, byte[][] out);

    private static native String nativeErrmsg();
}
