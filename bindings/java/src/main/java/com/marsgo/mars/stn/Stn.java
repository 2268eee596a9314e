package com.marsgo.mars.stn;

import com.marsgo.mars.Mars;
import com.marsgo.mars.MarsException;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One STN engine (mars_stn): one or more named long links ({@link #createLongLink}), short links, tasks
 * and the callback that serves them. Several may live side by side. {@link StnLogic}'s static methods use
 * one default instance.
 *
 * <p>Every method may be called from any thread, including from inside a callback
 * of this engine. {@link #close} from inside a callback only starts the shutdown
 * (the remaining onTaskEnd calls follow on a library thread). Calls after close
 * throw {@link MarsException} with {@link MarsException#EBADHANDLE}; a call racing
 * close on another thread may get {@link MarsException#ECLOSED} instead. Each
 * method's {@code @throws} lists the codes it can give; any call into the library
 * may also give {@link MarsException#EINTERNAL} (a recovered panic).
 */
public final class Stn implements AutoCloseable {
    static {
        Mars.loadDefaultMarsLibrary();
    }

    /**
     * Engine settings (mars_stn_config). Zero or null means the library's default;
     * durations are milliseconds; mars.h gives every default.
     */
    public static final class Config {
        /** Long-link header version, written in every header and required on receive. */
        public int clientVersion;
        public String longlinkHost;
        public int[] longlinkPorts;
        public String longlinkDebugIp;
        public int shortlinkPort;
        public String shortlinkDebugIp;
        /** Where the library keeps state (the per-network IP history); null = memory only. */
        public String appFileDir;
        /** {@link #NET_WIFI} (default) or {@link #NET_MOBILE}. */
        public int networkType;
        /** The network's label (e.g. a Wi-Fi SSID), which keys the IP history. */
        public String networkLabel;
        public long heartbeatIntervalMs;
        public long noopTimeoutMs;
        public long noopTimeoutLateMs;
        public long noopLateThresholdMs;
        public long connectTimeoutMs;
        public long taskConnectIntervalMs;
        public long autoConnectIntervalMs;
        public long reconnectDelayMs;
        public long newDnsTimeoutMs;
        public long retryIntervalMs;
        public long authPollIntervalMs;
        public long baseFirstPacketTimeoutMs;
        public long maxFirstPacketTimeoutMs;
        public long packageIntervalMs;
        public long taskDelayMs;
        public int minRate;
        /**
         * An open xlog appender for the engine's own log lines (tag "mars.stn"):
         * {@code Xlog.getLogInstance()} or a handle from {@code Xlog.openLogInstance}.
         * 0 = no engine logging. It must stay open while the engine lives.
         */
        public long logInstance;
        /**
         * Notification callbacks (onTaskEnd, onPush, status, traffic, profile, sync) are
         * queued and run by {@link Stn#poll} on the polling thread instead of on library
         * threads; onTaskEnd's return value is then ignored. Default false.
         */
        public boolean pollEvents;
        /** Connect strategy; zero = the library's default (mars.h). */
        public long resolverTimeoutMs;
        public int maxConnecting;
        public long connectIntervalMs;
        public long minConnectIntervalMs;
        /** Always stagger connects by connectIntervalMs, as Mars does. */
        public boolean exactMarsTiming;
        /** Keep the system TCP MSS on Wi-Fi instead of Mars's 1400. */
        public boolean noMssClamp;
        /** TLS 1.3 on the long link (an addition to Mars; the server must speak it). */
        public boolean tls;
        public String tlsServerName;
        /** PEM certificates that replace the system roots; null = system roots. */
        public String tlsRootCaPem;
        /** SHA-256 hashes (32 bytes each) of DER SubjectPublicKeyInfo; a chain must contain one. */
        public byte[][] tlsPinnedSpkiSha256;
        /** {@link #PROXY_NONE}, {@link #PROXY_HTTP} (CONNECT) or {@link #PROXY_SOCKS5}. */
        public int proxyKind;
        /** "host:port"; required with a proxy kind. */
        public String proxyAddr;
        public String proxyUser;
        public String proxyPassword;
        /** {@link #HEARTBEAT_FIXED} (default), {@link #HEARTBEAT_SMART} or {@link #HEARTBEAT_PASSIVE}. */
        public int heartbeatMode;
        /** Signalling keeper period and keep time; 0 = 5000 and 20000. */
        public long signallingPeriodMs;
        public long signallingKeepTimeMs;
        /** Mars's timing sync (requestDoSync while the long link is down). Default off. */
        public boolean timingSync;
        /**
         * A DNS-over-HTTPS server (RFC 8484) for the long-link host when onNewDns has no answer; it must be
         * an https URL (else the constructor fails with EINVAL) unless {@link #dohAllowHttp}.
         */
        public String dohUrl;
        /** Accept an http:// dohUrl. For tests only: its answers are not authenticated. Default false. */
        public boolean dohAllowHttp;
        /** HTTPS for the short link (an addition to Mars). */
        public boolean shortlinkTls;
        public String shortlinkTlsServerName;
        public String shortlinkTlsRootCaPem;
        public byte[][] shortlinkTlsPinnedSpkiSha256;
        /**
         * The automatic network check (Mars's net-check heuristic; reported through
         * onNetCheckResult): the path to GET on requestNetCheckShortLinkHosts' hosts
         * (null: no HTTP probe), an off switch, and the trigger's window (1..16,
         * default 8), bad-below (3) and good-above (5) counts.
         */
        public String netcheckCgi;
        public boolean netcheckOff;
        public int netcheckWindow;
        public int netcheckBadBelow;
        public int netcheckGoodAbove;
        /**
         * Task requests on the long link awaiting their response at once; 1 suits a server that
         * cannot pipeline. Default 0: no limit, as Mars.
         */
        public int maxInFlight;
        /**
         * The largest long-link packet, header included, both ways; a request over it ends
         * (ectLocal, -17) unsent. 0 = 1048576, Mars's receive limit.
         */
        public int maxPacketSize;

        /** Numeric fields, in the order of the CN_* enum in stn_jni.c. */
        long[] numbers() {
            return new long[] {Integer.toUnsignedLong(clientVersion), shortlinkPort, networkType,
                heartbeatIntervalMs, noopTimeoutMs, noopTimeoutLateMs, noopLateThresholdMs, connectTimeoutMs,
                taskConnectIntervalMs, autoConnectIntervalMs, reconnectDelayMs, newDnsTimeoutMs, retryIntervalMs,
                authPollIntervalMs, baseFirstPacketTimeoutMs, maxFirstPacketTimeoutMs, packageIntervalMs,
                taskDelayMs, minRate, pollEvents ? 1 : 0, resolverTimeoutMs, maxConnecting, connectIntervalMs,
                minConnectIntervalMs, exactMarsTiming ? 1 : 0, noMssClamp ? 1 : 0, tls ? 1 : 0, proxyKind,
                heartbeatMode, signallingPeriodMs, signallingKeepTimeMs, timingSync ? 1 : 0, shortlinkTls ? 1 : 0,
                netcheckOff ? 1 : 0, netcheckWindow, netcheckBadBelow, netcheckGoodAbove, maxInFlight,
                maxPacketSize, dohAllowHttp ? 1 : 0};
        }

        /** String fields, in the order of the CS_* enum in stn_jni.c. */
        String[] strings() {
            return new String[] {longlinkHost, longlinkDebugIp, shortlinkDebugIp, networkLabel, appFileDir,
                tlsServerName, tlsRootCaPem, proxyAddr, proxyUser, proxyPassword, dohUrl, shortlinkTlsServerName,
                shortlinkTlsRootCaPem, netcheckCgi};
        }

        /** Pins as one array of 32-byte hashes; a wrong length is refused (EINVAL). */
        static byte[] pins(byte[][] hashes) {
            if (hashes == null) return null;
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[] h : hashes) {
                if (h == null || h.length != 32) return new byte[1];
                b.writeBytes(h);
            }
            return b.toByteArray();
        }
    }

    public static final int HEARTBEAT_FIXED = 0;
    public static final int HEARTBEAT_SMART = 1;
    public static final int HEARTBEAT_PASSIVE = 2;

    public static final int PROXY_NONE = 0;
    public static final int PROXY_HTTP = 1;
    public static final int PROXY_SOCKS5 = 2;

    public static final int NET_NONE = -1;
    public static final int NET_WIFI = 1;
    public static final int NET_MOBILE = 2;

    /** The long link every engine starts with (Mars's "default-longlink"); main until another is marked. */
    public static final String DEFAULT_LONGLINK = "default-longlink";

    /** MARS_LONGLINK_* values of onLongLinkStatusChange. */
    public static final int LONGLINK_IDLE = 0;
    public static final int LONGLINK_CONNECTING = 1;
    public static final int LONGLINK_CONNECTED = 2;
    public static final int LONGLINK_DISCONNECTED = 3;
    public static final int LONGLINK_CONNECT_FAILED = 4;

    // Operations of nativeSimple.
    private static final int OP_REDO = 0;
    private static final int OP_TOUCH = 1;
    private static final int OP_CLEAR = 2;
    private static final int OP_RESET = 3;
    private static final int OP_MAKESURE = 4;
    private static final int OP_KEEP_SIGNALLING = 5;
    private static final int OP_STOP_SIGNALLING = 6;
    private static final int OP_TRIG_NOOP = 7;
    private static final int OP_DISABLE_LONGLINK = 8;

    /** Tasks the library may still call back about, by the token given as user_context. */
    private final Map<Long, StnLogic.Task> tasks = new ConcurrentHashMap<>();
    private final AtomicLong nextToken = new AtomicLong();
    private volatile long handle;
    private long ctx;

    /**
     * Starts an engine; nothing connects until a task needs the long link.
     *
     * @throws MarsException EINVAL for a null config or callback, a bad value or a string with a NUL (the message
     *     names it); EBADHANDLE if {@link Config#logInstance} is not an open appender; ELIMIT with 4096 live
     *     engines; EUNSUPPORTED from an xlog-only library
     */
    public Stn(Config cfg, StnLogic.ICallBack callback) {
        this(cfg, callback, callback == null ? null : callback.getClass()); // null: EINVAL below, not an NPE
    }

    /** maskFrom: the class whose overridden default methods are registered with the library. */
    Stn(Config cfg, StnLogic.ICallBack callback, Class<?> maskFrom) {
        this(cfg, callback, CallbackMask.of(maskFrom));
    }

    /** mask: the callbacks registered with the library (CallbackMask). */
    Stn(Config cfg, StnLogic.ICallBack callback, int mask) {
        if (cfg == null || callback == null) throw new MarsException(MarsException.EINVAL, "mars: null config or callback");
        long[] out = new long[2];
        int rc = nativeCreate(new Dispatcher(this, StnLogic.extended(callback), tasks), mask, cfg.numbers(),
                cfg.strings(), cfg.longlinkPorts, Config.pins(cfg.tlsPinnedSpkiSha256),
                Config.pins(cfg.shortlinkTlsPinnedSpkiSha256), cfg.logInstance, out);
        Mars.check(rc, () -> nativeErrmsg(0));
        handle = out[0];
        ctx = out[1];
    }

    private void check(int rc) {
        Mars.check(rc, () -> nativeErrmsg(handle));
    }

    /**
     * Destroys the engine: every pending task ends with (ectLocal, -9) and no
     * callback runs once this returns (unless called from inside a callback).
     * Calling it again does nothing; it throws nothing.
     */
    @Override
    public void close() {
        long h;
        long c;
        synchronized (this) {
            h = handle;
            c = ctx;
            handle = 0;
            ctx = 0;
        }
        if (h == 0) return;
        check(nativeDestroy(h, c));
        tasks.clear();
    }

    /**
     * Queues a task. Asynchronous: every outcome, including invalid fields, arrives
     * through onTaskEnd. A taskID of 0 is assigned by the library and written back.
     *
     * @return the task id
     * @throws MarsException EINVAL for a list over 64 entries or a string with a NUL (other bad fields end the
     *     task through onTaskEnd); EBADHANDLE after {@link #close}; ECLOSED when the call races close on another
     *     thread
     */
    public int startTask(StnLogic.Task t) {
        int[] ints = {t.taskID, t.cmdID, t.channelSelect, t.channelStrategy, b(t.sendOnly), b(t.needAuthed),
            b(t.limitFlow), b(t.limitFrequency), b(t.networkStatusSensitive), t.priority, t.retryCount,
            b(t.longPolling)};
        long[] longs = {t.serverProcessCost, t.totalTimeout, t.longPollingTimeout};
        String[] names = null;
        String[] values = null;
        if (t.headers != null && !t.headers.isEmpty()) {
            names = new String[t.headers.size()];
            values = new String[names.length];
            int i = 0;
            for (Map.Entry<String, String> e : t.headers.entrySet()) {
                names[i] = e.getKey();
                values[i++] = e.getValue();
            }
        }
        long token = nextToken.incrementAndGet();
        tasks.put(token, t);
        int[] id = new int[1];
        int rc = nativeStartTask(handle, token, ints, longs, t.channelName, t.cgi, t.userId, t.reportArg,
                array(t.shortLinkHostList), array(t.longLinkHostList), names, values, id);
        if (rc != MarsException.OK) {
            tasks.remove(token);
            check(rc);
        }
        if (t.taskID == 0) t.taskID = id[0];
        return id[0];
    }

    private static int b(boolean v) {
        return v ? 1 : 0;
    }

    private static String[] array(java.util.List<String> l) {
        return l == null ? null : l.toArray(new String[0]);
    }

    /**
     * Removes a task without onTaskEnd (asynchronous).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void stopTask(int taskID) {
        check(nativeStopTask(handle, taskID));
        tasks.values().removeIf(t -> t.taskID == taskID);
    }

    /**
     * Whether the task is still pending (waits for the engine's answer).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public boolean hasTask(int taskID) {
        int[] out = new int[1];
        check(nativeHasTask(handle, taskID, out));
        return out[0] != 0;
    }

    /**
     * Reconnects the long link and sends every pending task again.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void redoTask() {
        check(nativeSimple(handle, OP_REDO));
    }

    /**
     * Runs the task queues now (after logging in).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void touchTasks() {
        check(nativeSimple(handle, OP_TOUCH));
    }

    /**
     * Drops every task without callbacks and disconnects the long link.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void clearTask() {
        check(nativeSimple(handle, OP_CLEAR));
        tasks.clear();
    }

    /**
     * Ends every pending task with (ectLocal, -9) and starts afresh; addresses survive, and a kept
     * long link reconnects as after any drop.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void reset() {
        check(nativeSimple(handle, OP_RESET));
    }

    /**
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void makesureLongLinkConnected() {
        check(nativeSimple(handle, OP_MAKESURE));
    }

    /**
     * Turns the long link off for the rest of this engine's life (Mars's C++
     * {@code DisableLongLink}): the link closes and never connects again. Tasks
     * whose channel allows the short link go short; a long-only task ends with
     * {@code (ectLocal, StnLogic.LOCAL_LONGLINK_UNAVAILABLE)}.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void disableLongLink() {
        check(nativeSimple(handle, OP_DISABLE_LONGLINK));
    }

    /**
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public boolean longLinkIsConnected() {
        int[] out = new int[1];
        check(nativeIsConnected(handle, out));
        return out[0] != 0;
    }

    /**
     * Adds a named long link (Mars's CreateLonglink_ext); tasks whose {@link StnLogic.Task#channelName} is
     * its name go on it. Every engine starts with one link, {@link #DEFAULT_LONGLINK}, the main one.
     *
     * @throws MarsException EINVAL for a null config, a null or empty name, a bad value or a NUL; ESTATE when a
     *     link of that name exists; EBADHANDLE after {@link #close}; ECLOSED when the call races close
     */
    public void createLongLink(LongLinkConfig c) {
        if (c == null) throw new MarsException(MarsException.EINVAL, "mars: null long-link config");
        check(nativeCreateLongLink(handle, c.numbers(), c.strings(), c.ports, c.backupIps,
                Config.pins(c.tlsPinnedSpkiSha256)));
    }

    /**
     * Removes a named long link, synchronously (Mars's DestroyLonglink_ext): its waiting and running tasks
     * end with (ectLocal, {@link StnLogic#LOCAL_LONGLINK_RELEASED}) before it returns.
     *
     * @throws MarsException EINVAL for a null or unknown name; ESTATE for the main link (mark another main
     *     first); EBADHANDLE after {@link #close}; ECLOSED when the call races close
     */
    public void destroyLongLink(String name) {
        check(nativeDestroyLongLink(handle, name));
    }

    /**
     * The names of the engine's long links, sorted.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close
     */
    public java.util.List<String> longLinks() {
        Object[] out = new Object[1];
        check(nativeLongLinks(handle, out));
        return java.util.List.of((String[]) out[0]);
    }

    /**
     * The main link's name: the link of tasks with no channel name, and the one the unnamed status
     * callbacks report.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close
     */
    public String mainLongLink() {
        String[] out = new String[1];
        check(nativeMainLongLink(handle, out));
        return out[0];
    }

    /**
     * Makes the named link the main one (Mars's MarkMainLonglink_ext).
     *
     * @throws MarsException EINVAL for a null or unknown name; EBADHANDLE after {@link #close}; ECLOSED when the
     *     call races close
     */
    public void markMainLongLink(String name) {
        check(nativeMarkMainLongLink(handle, name));
    }

    /**
     * Whether the named link is connected (Mars's LongLinkIsConnected_ext); false for an unknown name.
     *
     * @throws MarsException EINVAL for a null name; EBADHANDLE after {@link #close}; ECLOSED when the call races
     *     close
     */
    public boolean longLinkIsConnected(String name) {
        int[] out = new int[1];
        check(nativeNamedIsConnected(handle, name, out));
        return out[0] != 0;
    }

    /**
     * Connects the named link now unless it is connected or connecting (Mars's MakesureLonglinkConnected_ext);
     * asynchronous. An unknown name does nothing.
     *
     * @throws MarsException EINVAL for a null name; EBADHANDLE after {@link #close}; ECLOSED when the call races
     *     close
     */
    public void makesureLongLinkConnected(String name) {
        check(nativeMakesureNamed(handle, name));
    }

    /**
     * @throws MarsException EINVAL for a null host, over 64 ports, a port out of range or a NUL; EBADHANDLE after
     *     {@link #close}; ECLOSED when the call races close on another thread
     */
    public void setLonglinkSvrAddr(String host, int[] ports, String debugIP) {
        check(nativeSetLonglinkSvrAddr(handle, host, ports, debugIP));
    }

    /**
     * @throws MarsException EINVAL for a port out of range or a NUL; EBADHANDLE after {@link #close}; ECLOSED when
     *     the call races close on another thread
     */
    public void setShortlinkSvrAddr(int port, String debugIP) {
        check(nativeSetShortlinkSvrAddr(handle, port, debugIP));
    }

    /**
     * @throws MarsException EINVAL for a null host or a NUL; EBADHANDLE after {@link #close}; ECLOSED when the call
     *     races close on another thread
     */
    public void setDebugIP(String host, String ip) {
        check(nativeSetDebugIp(handle, host, ip));
    }

    /**
     * @throws MarsException EINVAL for a null host, over 64 addresses or a NUL; EBADHANDLE after {@link #close};
     *     ECLOSED when the call races close on another thread
     */
    public void setBackupIPs(String host, String[] ips) {
        check(nativeSetBackupIps(handle, host, ips));
    }

    /**
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public int genTaskID() {
        int[] out = new int[1];
        check(nativeGenTaskId(handle, out));
        return out[0];
    }

    /**
     * Mars's setClientVersion on a running engine: the long link stays
     * connected; packets encoded from now on carry {@code version} (the int's
     * 32 bits, unsigned) and packets received from now on must carry it (an
     * answer with the old version drops the link, as in Mars).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void setClientVersion(int version) {
        check(nativeSetClientVersion(handle, version, false));
    }

    /**
     * Mars's resetAndInitEncoderVersion: {@link #reset}, then the client
     * version becomes {@code version} before anything is sent again.
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void resetAndInitEncoderVersion(int version) {
        check(nativeSetClientVersion(handle, version, true));
    }

    /** Mars's genSequenceId: a random client sequence id in 0..65535. */
    public static int genSequenceId() {
        int[] out = new int[1];
        Mars.check(nativeGenSequenceId(out), null);
        return out[0];
    }

    /**
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void onForeground(boolean foreground) {
        check(nativeOnForeground(handle, foreground));
    }

    /**
     * The signed-in user's name (Mars's {@code AppLogic.getAccountInfo().userName}); null or "" means nobody is
     * signed in, which stretches the kept link's automatic reconnect intervals as Mars does (540 s after 10 min in
     * the foreground, 7 days when inactive).
     *
     * @throws MarsException EINVAL for a NUL in userName; EBADHANDLE after {@link #close}; ECLOSED when the call
     *     races close on another thread
     */
    public void setAccount(String userName) {
        check(nativeSetAccount(handle, userName));
    }

    /**
     * networkType: NET_NONE, NET_WIFI or NET_MOBILE.
     *
     * @throws MarsException EINVAL for an unknown network type or a NUL in label; EBADHANDLE after {@link #close};
     *     ECLOSED when the call races close on another thread
     */
    public void onNetworkChange(int networkType, String label) {
        check(nativeOnNetworkChange(handle, networkType, label));
    }

    /**
     * @throws MarsException EINVAL for a zero, negative or absurd value; EBADHANDLE after {@link #close}; ECLOSED
     *     when the call races close on another thread
     */
    public void setSignallingStrategy(long periodMs, long keepTimeMs) {
        check(nativeSetSignallingStrategy(handle, periodMs, keepTimeMs));
    }

    /**
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void keepSignalling() {
        check(nativeSimple(handle, OP_KEEP_SIGNALLING));
    }

    /**
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void stopSignalling() {
        check(nativeSimple(handle, OP_STOP_SIGNALLING));
    }

    /**
     * HEARTBEAT_FIXED, HEARTBEAT_SMART or HEARTBEAT_PASSIVE, from the next heartbeat slot.
     *
     * @throws MarsException EINVAL for an unknown mode; EBADHANDLE after {@link #close}; ECLOSED when the call
     *     races close on another thread
     */
    public void setHeartbeatMode(int mode) {
        check(nativeSetHeartbeatMode(handle, mode));
    }

    /**
     * The periodic heartbeat interval in force now; 0 when there is none (passive mode).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public long heartbeatInterval() {
        long[] out = new long[1];
        check(nativeHeartbeatInterval(handle, out));
        return out[0];
    }

    /**
     * The engine's current network estimate (waits for the engine's answer).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public NetworkQuality networkQuality() {
        long[] out = new long[5];
        check(nativeNetworkQuality(handle, out));
        return new NetworkQuality(out);
    }

    /**
     * Sends one heartbeat now if connected and none is outstanding (Mars's trigNooping).
     *
     * @throws MarsException EBADHANDLE after {@link #close}; ECLOSED when the call races close on another thread
     */
    public void trigNoop() {
        check(nativeSimple(handle, OP_TRIG_NOOP));
    }

    /**
     * Runs the queued notification callbacks of an engine created with
     * {@link Config#pollEvents}, on this thread, in order: waits up to timeoutMs for
     * the first (0: no wait; negative: until one is queued or the engine closes),
     * then runs what is queued (at most 1024).
     *
     * @return how many callbacks ran
     * @throws MarsException ESTATE without pollEvents; EBADHANDLE once closed
     */
    public int poll(long timeoutMs) {
        int[] ran = new int[1];
        check(nativePoll(handle, timeoutMs, ran));
        return ran[0];
    }

    /** Tasks started through this object that may still call back (for tests and leak checks). */
    public int trackedTasks() {
        return tasks.size();
    }

    private static native int nativeCreate(Dispatcher dispatcher, int mask, long[] numbers, String[] strings,
            int[] longlinkPorts, byte[] pins, byte[] shortlinkPins, long log, long[] out);

    private static native int nativeSetHeartbeatMode(long handle, int mode);

    private static native int nativeHeartbeatInterval(long handle, long[] out);

    private static native int nativeNetworkQuality(long handle, long[] out);

    private static native int nativePoll(long handle, long timeoutMs, int[] outRan);

    private static native int nativeDestroy(long handle, long ctx);

    private static native String nativeErrmsg(long handle);

    private static native int nativeStartTask(long handle, long token, int[] ints, long[] longs, String channelName,
            String cgi, String userId, String reportArg, String[] shortHosts, String[] longHosts, String[] headerNames,
            String[] headerValues, int[] outId);

    private static native int nativeCreateLongLink(long handle, long[] numbers, String[] strings, int[] ports,
            String[] backupIps, byte[] pins);

    private static native int nativeDestroyLongLink(long handle, String name);

    private static native int nativeLongLinks(long handle, Object[] out);

    private static native int nativeMainLongLink(long handle, String[] out);

    private static native int nativeMarkMainLongLink(long handle, String name);

    private static native int nativeNamedIsConnected(long handle, String name, int[] out);

    private static native int nativeMakesureNamed(long handle, String name);

    private static native int nativeStopTask(long handle, int taskID);

    private static native int nativeHasTask(long handle, int taskID, int[] out);

    private static native int nativeSimple(long handle, int op);

    private static native int nativeIsConnected(long handle, int[] out);

    private static native int nativeSetLonglinkSvrAddr(long handle, String host, int[] ports, String debugIp);

    private static native int nativeSetShortlinkSvrAddr(long handle, int port, String debugIp);

    private static native int nativeSetDebugIp(long handle, String host, String ip);

    private static native int nativeSetBackupIps(long handle, String host, String[] ips);

    private static native int nativeGenTaskId(long handle, int[] out);

    private static native int nativeSetClientVersion(long handle, int version, boolean reset);

    private static native int nativeGenSequenceId(int[] out);

    private static native int nativeOnForeground(long handle, boolean foreground);

    private static native int nativeSetAccount(long handle, String userName);

    private static native int nativeOnNetworkChange(long handle, int networkType, String label);

    private static native int nativeSetSignallingStrategy(long handle, long periodMs, long keepTimeMs);

    private static native int nativeProxyIsAvailable(int kind, String[] strings, int port, int timeoutMs, int[] out);

    /** mars_proxy_is_available: {available (0/1), err_code}. */
    static int[] proxyIsAvailable(ProxyInfo proxy, String testHost, int testPort, int timeoutMs) {
        if (proxy == null || testHost == null) {
            Mars.check(MarsException.EINVAL, () -> "proxyIsAvailable: proxy and testHost are required");
        }
        int[] out = new int[2];
        String[] strings = {proxy.addr, proxy.user, proxy.password, testHost};
        Mars.check(nativeProxyIsAvailable(proxy.kind, strings, testPort, timeoutMs, out), () -> nativeErrmsg(0));
        return out;
    }
}
