package com.marsgo.mars.stn;

import java.util.Objects;

/**
 * One named long link of an engine (Mars's {@code LonglinkConfig}, mars_longlink_config), for
 * {@link Stn#createLongLink} and {@link StnLogic#createLonglink}. Made by {@link #builder}; immutable.
 * A setting left unset takes the engine's value ({@link Stn.Config}), except where it says otherwise.
 *
 * <pre>{@code
 * stn.createLongLink(LongLinkConfig.builder("im").host("im.example.com").ports(8080).keepAlive(false).build());
 * task.channelName = "im";   // the task goes on that link
 * }</pre>
 */
public final class LongLinkConfig {
    /** Required, unique per engine; tasks pick the link by {@link StnLogic.Task#channelName}. */
    public final String name;
    /** The link's server; null: the engine's long-link host. */
    public final String host;
    /** Tried in order, at most 64; null: the engine's. */
    public final int[] ports;
    /** Used instead of host when non-null. */
    public final String debugIp;
    /** The host's fallback IPs, at most 64. */
    public final String[] backupIps;
    /** The link's header client version; 0: the engine's. */
    public final int clientVersion;
    /** True: TLS on this link; false: the engine's setting (a link cannot turn the engine's TLS off). */
    public final boolean tls;
    public final String tlsServerName;
    public final String tlsRootCaPem;
    /** SHA-256 hashes (32 bytes each) of DER SubjectPublicKeyInfo. */
    public final byte[][] tlsPinnedSpkiSha256;
    /** {@link Stn#PROXY_HTTP} or {@link Stn#PROXY_SOCKS5}; {@link Stn#PROXY_NONE}: the engine's proxy. */
    public final int proxyKind;
    public final String proxyAddr;
    public final String proxyUser;
    public final String proxyPassword;
    /** {@link Stn#HEARTBEAT_FIXED} (default), {@link Stn#HEARTBEAT_SMART} or {@link Stn#HEARTBEAT_PASSIVE}. */
    public final int heartbeatMode;
    /** 0: the engine's. */
    public final long heartbeatIntervalMs;
    /** Default true: each connection asks getLongLinkIdentifyCheckBuffer with this link's name. */
    public final boolean identifyCheck;
    /**
     * Mars's is_keep_alive, default true: kept connected and reconnected after a drop. False: connects only
     * when a task needs it (or on makesureLongLinkConnected(name)) and is not reconnected after a drop.
     */
    public final boolean keepAlive;
    /** True: becomes the main link at once (the link of tasks with no channel name). Default false. */
    public final boolean main;

    private LongLinkConfig(Builder b) {
        name = b.name;
        host = b.host;
        ports = b.ports == null ? null : b.ports.clone();
        debugIp = b.debugIp;
        backupIps = b.backupIps == null ? null : b.backupIps.clone();
        clientVersion = b.clientVersion;
        tls = b.tls;
        tlsServerName = b.tlsServerName;
        tlsRootCaPem = b.tlsRootCaPem;
        tlsPinnedSpkiSha256 = b.tlsPinnedSpkiSha256 == null ? null : b.tlsPinnedSpkiSha256.clone();
        proxyKind = b.proxyKind;
        proxyAddr = b.proxyAddr;
        proxyUser = b.proxyUser;
        proxyPassword = b.proxyPassword;
        heartbeatMode = b.heartbeatMode;
        heartbeatIntervalMs = b.heartbeatIntervalMs;
        identifyCheck = b.identifyCheck;
        keepAlive = b.keepAlive;
        main = b.main;
    }

    /** A builder for the link called name (null or empty is refused by createLongLink with EINVAL). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this configuration, to change a copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.host = host;
        b.ports = ports;
        b.debugIp = debugIp;
        b.backupIps = backupIps;
        b.clientVersion = clientVersion;
        b.tls = tls;
        b.tlsServerName = tlsServerName;
        b.tlsRootCaPem = tlsRootCaPem;
        b.tlsPinnedSpkiSha256 = tlsPinnedSpkiSha256;
        b.proxyKind = proxyKind;
        b.proxyAddr = proxyAddr;
        b.proxyUser = proxyUser;
        b.proxyPassword = proxyPassword;
        b.heartbeatMode = heartbeatMode;
        b.heartbeatIntervalMs = heartbeatIntervalMs;
        b.identifyCheck = identifyCheck;
        b.keepAlive = keepAlive;
        b.main = main;
        return b;
    }

    /** Numeric fields, in the order of the LN_* enum in longlink_jni.c. */
    long[] numbers() {
        return new long[] {Integer.toUnsignedLong(clientVersion), tls ? 1 : 0, proxyKind,
            heartbeatMode, heartbeatIntervalMs, identifyCheck ? 1 : 0, keepAlive ? 1 : 0, main ? 1 : 0};
    }

    /** String fields, in the order of the LS_* enum in longlink_jni.c. */
    String[] strings() {
        return new String[] {name, host, debugIp, tlsServerName, tlsRootCaPem, proxyAddr, proxyUser, proxyPassword};
    }

    /** Sets each field of a {@link LongLinkConfig}; every setter returns the builder. */
    public static final class Builder {
        private final String name;
        private String host;
        private int[] ports;
        private String debugIp;
        private String[] backupIps;
        private int clientVersion;
        private boolean tls;
        private String tlsServerName;
        private String tlsRootCaPem;
        private byte[][] tlsPinnedSpkiSha256;
        private int proxyKind;
        private String proxyAddr;
        private String proxyUser;
        private String proxyPassword;
        private int heartbeatMode = Stn.HEARTBEAT_FIXED;
        private long heartbeatIntervalMs;
        private boolean identifyCheck = true;
        private boolean keepAlive = true;
        private boolean main;

        private Builder(String name) {
            this.name = name;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder ports(int... ports) {
            this.ports = ports == null ? null : ports.clone();
            return this;
        }

        public Builder debugIp(String debugIp) {
            this.debugIp = debugIp;
            return this;
        }

        public Builder backupIps(String... ips) {
            this.backupIps = ips == null ? null : ips.clone();
            return this;
        }

        public Builder clientVersion(int clientVersion) {
            this.clientVersion = clientVersion;
            return this;
        }

        /** True: TLS on this link even when the engine has none; the TLS fields below need it. */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        public Builder tlsServerName(String name) {
            this.tlsServerName = name;
            return this;
        }

        public Builder tlsRootCaPem(String pem) {
            this.tlsRootCaPem = pem;
            return this;
        }

        public Builder tlsPinnedSpkiSha256(byte[]... hashes) {
            this.tlsPinnedSpkiSha256 = hashes == null ? null : hashes.clone();
            return this;
        }

        /** kind: {@link Stn#PROXY_HTTP} or {@link Stn#PROXY_SOCKS5}; addr "host:port". */
        public Builder proxy(int kind, String addr, String user, String password) {
            this.proxyKind = kind;
            this.proxyAddr = addr;
            this.proxyUser = user;
            this.proxyPassword = password;
            return this;
        }

        public Builder heartbeat(int mode, long intervalMs) {
            this.heartbeatMode = mode;
            this.heartbeatIntervalMs = intervalMs;
            return this;
        }

        public Builder identifyCheck(boolean on) {
            this.identifyCheck = on;
            return this;
        }

        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        public Builder main(boolean on) {
            this.main = on;
            return this;
        }

        public LongLinkConfig build() {
            return new LongLinkConfig(this);
        }
    }

    @Override
    public String toString() {
        return "LongLinkConfig{" + Objects.toString(name) + (host == null ? "" : " " + host)
                + (main ? ", main" : "") + (keepAlive ? "" : ", not kept alive") + "}";
    }
}
