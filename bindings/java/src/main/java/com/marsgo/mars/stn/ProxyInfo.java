package com.marsgo.mars.stn;

/**
 * A proxy (mars_proxy_info): what {@link StnLogic.ExtendedCallBack#getProxyInfo} answers for one connect
 * (Mars's GetProxyInfo) and what {@link StnLogic#proxyIsAvailable} checks. {@link #DIRECT} (kind
 * {@link #NONE}) means "connect directly".
 */
public final class ProxyInfo {
    /** Connect directly (MARS_PROXY_NONE). */
    public static final int NONE = 0;
    /** An HTTP CONNECT tunnel (MARS_PROXY_HTTP). */
    public static final int HTTP = 1;
    /** SOCKS5 (MARS_PROXY_SOCKS5). */
    public static final int SOCKS5 = 2;

    /** The answer "connect directly", even when the engine's config names a proxy. */
    public static final ProxyInfo DIRECT = new ProxyInfo(NONE, "", "", "");

    public final int kind;
    /** "host:port". */
    public final String addr;
    public final String user;
    public final String password;

    public ProxyInfo(int kind, String addr) {
        this(kind, addr, "", "");
    }

    public ProxyInfo(int kind, String addr, String user, String password) {
        this.kind = kind;
        this.addr = addr == null ? "" : addr;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
    }
}
