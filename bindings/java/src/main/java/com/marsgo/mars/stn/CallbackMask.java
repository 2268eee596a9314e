package com.marsgo.mars.stn;

import java.io.ByteArrayOutputStream;

/**
 * Which C callbacks an engine registers: the four every app implements, plus each
 * optional one whose default body the app's class overrides (so e.g. trafficData
 * costs nothing unless used). Bits are the enum in stn_callbacks.c.
 */
final class CallbackMask {
    private CallbackMask() {}

    // Callback mask bits; the same numbers as the enum in stn_callbacks.c.
    private static final int CB_REQ2BUF = 0;
    private static final int CB_BUF2RESP = 1;
    private static final int CB_TASK_END = 2;
    private static final int CB_PUSH = 3;
    private static final int CB_NEW_DNS = 4;
    private static final int CB_AUTHED = 5;
    private static final int CB_CONNECT_STATUS = 6;
    private static final int CB_LL_STATUS = 7;
    private static final int CB_LL_NET_ERROR = 8;
    private static final int CB_IDENTIFY = 9;
    private static final int CB_TRAFFIC = 10;
    private static final int CB_TASK_PROFILE = 11;
    private static final int CB_TASK_LIMITED = 12;
    private static final int CB_REQUEST_SYNC = 13;
    private static final int CB_NET_QUALITY = 14;
    private static final int CB_IS_LOGONED = 15;
    private static final int CB_NETCHECK_HOSTS = 16;
    private static final int CB_NETCHECK_RESULT = 17;
    private static final int CB_SL_NET_ERROR = 18;
    private static final int CB_LL_STATUS_OF = 19;
    private static final int CB_LL_NET_ERROR_OF = 20;
    private static final int CB_LL_NEW_DNS = 21;
    private static final int CB_PROXY_INFO = 22;
    private static final int CB_DNS_PROFILE = 23;

    /** What a Mars-shaped ICallBack always implements (its methods are all abstract). */
    private static final int MARS_OPTIONAL = 1 << CB_NEW_DNS | 1 << CB_AUTHED | 1 << CB_CONNECT_STATUS
            | 1 << CB_IDENTIFY | 1 << CB_TRAFFIC | 1 << CB_TASK_PROFILE | 1 << CB_REQUEST_SYNC | 1 << CB_IS_LOGONED
            | 1 << CB_NETCHECK_HOSTS;

    /** The default engine's: also the network-check reports, for SdtLogic. */
    static int ofDefaultEngine(Class<?> c) {
        return of(c) | 1 << CB_NETCHECK_RESULT;
    }

    static int of(Class<?> c) {
        int mask = 1 << CB_REQ2BUF | 1 << CB_BUF2RESP | 1 << CB_TASK_END | 1 << CB_PUSH;
        if (c == null) return mask;
        if (!StnLogic.ExtendedCallBack.class.isAssignableFrom(c)) return mask | MARS_OPTIONAL;
        if (overrides(c, "onNewDns", String.class, boolean.class) || overrides(c, "onNewDns", String.class)) mask |= 1 << CB_NEW_DNS;
        if (overrides(c, "makesureAuthed", String.class, String.class) || overrides(c, "makesureAuthed", String.class)) mask |= 1 << CB_AUTHED;
        if (overrides(c, "reportConnectInfo", int.class, int.class)) mask |= 1 << CB_CONNECT_STATUS;
        if (overrides(c, "onLongLinkStatusChange", int.class)) mask |= 1 << CB_LL_STATUS;
        if (overrides(c, "onLongLinkNetworkError", int.class, int.class, String.class, int.class)) {
            mask |= 1 << CB_LL_NET_ERROR;
        }
        if (overrides(c, "onShortLinkNetworkError", int.class, int.class, String.class, int.class)) {
            mask |= 1 << CB_SL_NET_ERROR;
        }
        if (overrides(c, "getProxyInfo", String.class, boolean.class)) mask |= 1 << CB_PROXY_INFO;
        if (overrides(c, "reportDnsProfile", DnsProfile.class)) mask |= 1 << CB_DNS_PROFILE;
        if (overrides(c, "getLongLinkIdentifyCheckBuffer", String.class, ByteArrayOutputStream.class,
                ByteArrayOutputStream.class, int[].class)
                || overrides(c, "getLongLinkIdentifyCheckBuffer", ByteArrayOutputStream.class,
                        ByteArrayOutputStream.class, int[].class)) {
            mask |= 1 << CB_IDENTIFY;
        }
        if (overrides(c, "onLongLinkStatusChangeOf", String.class, int.class)) mask |= 1 << CB_LL_STATUS_OF;
        if (overrides(c, "onLongLinkNetworkErrorOf", String.class, int.class, int.class, String.class, int.class)) {
            mask |= 1 << CB_LL_NET_ERROR_OF;
        }
        if (overrides(c, "onLongLinkNewDns", String.class, String.class)) mask |= 1 << CB_LL_NEW_DNS;
        if (overrides(c, "trafficData", int.class, int.class)) mask |= 1 << CB_TRAFFIC;
        if (overrides(c, "reportTaskProfile", String.class)) mask |= 1 << CB_TASK_PROFILE;
        if (overrides(c, "reportTaskLimited", int.class, int.class, int.class)) mask |= 1 << CB_TASK_LIMITED;
        if (overrides(c, "requestDoSync")) mask |= 1 << CB_REQUEST_SYNC;
        if (overrides(c, "onNetworkQualityChange", NetworkQuality.class)) mask |= 1 << CB_NET_QUALITY;
        if (overrides(c, "isLogoned")) mask |= 1 << CB_IS_LOGONED;
        if (overrides(c, "requestNetCheckShortLinkHosts")) mask |= 1 << CB_NETCHECK_HOSTS;
        if (overrides(c, "onNetCheckResult", String.class)) mask |= 1 << CB_NETCHECK_RESULT;
        return mask;
    }

    private static boolean overrides(Class<?> c, String name, Class<?>... params) {
        try {
            return c.getMethod(name, params).getDeclaringClass() != StnLogic.ExtendedCallBack.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
