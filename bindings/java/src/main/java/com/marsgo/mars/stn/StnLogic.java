package com.marsgo.mars.stn;

import com.marsgo.mars.Mars;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Mars's Android STN API over libmars: the same static methods, {@link Task} and
 * {@link ICallBack}, so an app moving from {@code com.tencent.mars.stn.StnLogic}
 * changes its imports, not its logic.
 *
 * <p>The static methods drive one default engine ({@link Stn}) created on first
 * use with the callback set by {@link #setCallBack}; apps that need several engines
 * use {@link Stn} directly. Mars's numbers (error types and codes, buf2Resp and
 * identify results) are kept.
 *
 * <p>{@link #setClientVersion} on a live engine changes it in place, as Mars does:
 * the connection and pending tasks stay. Failed calls throw
 * {@link com.marsgo.mars.MarsException}.
 */
public final class StnLogic {
    static {
        Mars.loadDefaultMarsLibrary();
    }

    private StnLogic() {}

    public static final String TAG = "mars.StnLogic";

    // Channels (Task.channelSelect).
    public static final int SHORTLINK = 1;
    public static final int LONGLINK = 2;
    public static final int BOTH = 3;

    // onTaskEnd errType (Mars's ErrCmdType).
    public static final int ectOK = 0;
    public static final int ectFalse = 1;
    public static final int ectDial = 2;
    public static final int ectDns = 3;
    public static final int ectSocket = 4;
    public static final int ectHttp = 5;
    public static final int ectNetMsgXP = 6;
    public static final int ectEnDecode = 7;
    public static final int ectServer = 8;
    public static final int ectLocal = 9;
    public static final int ectCanceled = 10;

    // onTaskEnd errCode.
    public static final int FIRSTPKGTIMEOUT = -500;
    public static final int PKGPKGTIMEOUT = -501;
    public static final int READWRITETIMEOUT = -502;
    public static final int TASKTIMEOUT = -503;
    public static final int SOCKETNETWORKCHANGE = -10086;
    public static final int SOCKETMAKESOCKETPREPARED = -10087;
    public static final int SOCKETWRITENWITHNONBLOCK = -10088;
    public static final int SOCKETREADONCE = -10089;
    public static final int SOCKETSHUTDOWN = -10090;
    public static final int SOCKETRECVERR = -10091;
    public static final int SOCKETSENDERR = -10092;
    public static final int HTTPSPLITHTTPHEADANDBODY = -10194;
    public static final int HTTPPARSESTATUSLINE = -10195;
    public static final int NETMSGXPHANDLEBUFFERERR = -10504;
    public static final int DNSMAKESOCKETPREPARED = -10606;
    public static final int LOCAL_TASK_TIMEOUT = -1;
    public static final int LOCAL_RESET = -9;
    public static final int LOCAL_TASK_PARAM = -12;
    /** Not in Mars's Java: the task's long link was destroyed (destroyLonglink). */
    public static final int LOCAL_LONGLINK_RELEASED = -15;
    /**
     * Not in Mars's Java: the task's channelName names no long link of the engine, or the task may only
     * use the long link and the engine's long link is disabled ({@link Stn#disableLongLink}).
     */
    public static final int LOCAL_LONGLINK_UNAVAILABLE = -16;

    // reportConnectInfo status.
    public static final int NETWORK_UNKNOWN = -1;
    public static final int NETWORK_UNAVAILABLE = 0;
    public static final int GATEWAY_FAILED = 1;
    public static final int SERVER_FAILED = 2;
    public static final int CONNECTTING = 3;
    public static final int CONNECTED = 4;
    public static final int SERVER_DOWN = 5;

    // Mars declares the next eight without final: kept so, read by the library
    // through the private copies below so an app cannot change its behaviour.

    // getLongLinkIdentifyCheckBuffer results.
    public static int ECHECK_NOW = 0;
    public static int ECHECK_NEXT = 1;
    public static int ECHECK_NEVER = 2;

    // buf2Resp results.
    public static int RESP_FAIL_HANDLE_NORMAL = 0;
    public static int RESP_FAIL_HANDLE_DEFAULT = -1;
    public static int RESP_FAIL_HANDLE_SESSION_TIMEOUT = -13;
    public static int RESP_FAIL_HANDLE_TASK_END = -14;
    public static final int RESP_FAIL_HANDLE_SILENT_TASK_END = -16;

    public static int TASK_END_SUCCESS = 0;

    static final int ECHECK_NEVER_VALUE = 2;
    static final int RESP_FAIL_HANDLE_TASK_END_VALUE = -14;
    public static final int INVALID_TASK_ID = -1;
    /** Task ids from here up are Mars's reserved sequence numbers (noop, identify, ...). */
    static final int RESERVED_TASK_ID_START = 0xFFFFFFF0;

    /**
     * A request, as Mars's {@code StnLogic.Task}. Both constructors take Mars's Java
     * defaults: need authed, both limits on, normal priority, one retry
     * ({@code retryCount = -1}), no server cost or total timeout given. The no-argument
     * constructor also selects {@link #EBoth}. {@link #taskID} comes from a counter
     * (as in Mars), the one {@link StnLogic#genTaskID} draws from too (Mars keeps two,
     * which hand out the same ids); set it to 0 to let the library assign one.
     */
    public static class Task {
        public static final int ENORMAL = 0;
        public static final int EFAST = 1;

        public static final int ETASK_PRIORITY_HIGHEST = 0;
        public static final int ETASK_PRIORITY_0 = 0;
        public static final int ETASK_PRIORITY_1 = 1;
        public static final int ETASK_PRIORITY_2 = 2;
        public static final int ETASK_PRIORITY_3 = 3;
        public static final int ETASK_PRIORITY_NORMAL = 3;
        public static final int ETASK_PRIORITY_4 = 4;
        public static final int ETASK_PRIORITY_5 = 5;
        public static final int ETASK_PRIORITY_LOWEST = 5;

        public static final int EShort = 0x1;
        public static final int ELong = 0x2;
        public static final int EBoth = 0x3;

        /** {@link CgiProfile#protocolType}: libmars links are TCP (QUIC is not offered). */
        public static final int ETransportProtocolTCP = 1;
        public static final int ETransportProtocolQUIC = 2;

        private static final AtomicInteger NEXT_ID = new AtomicInteger(0);

        /** The next id of the shared counter: never 0, wrapping to 1 before Mars's reserved ids (0xFFFFFFF0 up). */
        static int nextID() {
            return NEXT_ID.updateAndGet(id -> {
                int next = id + 1;
                return next == 0 || Integer.compareUnsigned(next, RESERVED_TASK_ID_START) >= 0 ? 1 : next;
            });
        }

        public int taskID;
        public int channelSelect;
        public int cmdID;
        public String cgi;
        public ArrayList<String> shortLinkHostList;
        public ArrayList<String> longLinkHostList;
        public String channelName;
        public String userId;

        public boolean sendOnly;
        public boolean needAuthed;
        public boolean limitFlow;
        public boolean limitFrequency;
        public int channelStrategy;
        public boolean networkStatusSensitive;
        public int priority;
        public int retryCount = -1;
        public int serverProcessCost;
        public int totalTimeout;
        /** Short-link long polling: the server may hold the request up to longPollingTimeout ms. */
        public boolean longPolling;
        public int longPollingTimeout;
        public Object userContext;
        public String reportArg;
        public Map<String, String> headers;

        public Task() {
            this(EBoth, 0, null, null);
        }

        public Task(int channelselect, int cmdid, String cgi, ArrayList<String> shortLinkHostList) {
            this.taskID = nextID();
            this.channelSelect = channelselect;
            this.cmdID = cmdid;
            this.cgi = cgi;
            this.shortLinkHostList = shortLinkHostList;
            this.needAuthed = true;
            this.limitFlow = true;
            this.limitFrequency = true;
            this.channelStrategy = ENORMAL;
            this.priority = ETASK_PRIORITY_NORMAL;
            this.headers = new HashMap<>();
        }
    }

    /**
     * A task's timing as Mars's Java {@code StnLogic.CgiProfile}, given to
     * {@link ICallBack#onTaskEnd}. Times are Unix milliseconds, 0 = did not happen.
     * libmars does not record the TLS handshake or the first read separately:
     * {@code startHandshakeTime}/{@code handshakeSuccessfulTime} stay 0 and
     * {@code startReadPacketTime} is the send start. The full statistics are
     * {@link com.marsgo.mars.stn.CgiProfile} ({@link ExtendedCallBack}).
     */
    public static class CgiProfile {
        public long taskStartTime = 0;
        public long startConnectTime = 0;
        public long connectSuccessfulTime = 0;
        public long startHandshakeTime = 0;
        public long handshakeSuccessfulTime = 0;
        public long startSendPacketTime = 0;
        public long startReadPacketTime = 0;
        public long readPacketFinishedTime = 0;
        public long rtt = 0;
        /** {@link Task#EShort} or {@link Task#ELong}; 0 if the task never went out. */
        public int channelType = 0;
        /** {@link Task#ETransportProtocolTCP} once a channel was used, else 0. */
        public int protocolType = 0;

        public CgiProfile() {}

        static CgiProfile of(com.marsgo.mars.stn.CgiProfile p) {
            CgiProfile c = new CgiProfile();
            if (p == null) return c;
            c.taskStartTime = p.taskStartTime;
            c.startConnectTime = p.startConnectTime;
            c.connectSuccessfulTime = p.connectSuccessfulTime;
            c.startSendPacketTime = p.startSendPacketTime;
            c.startReadPacketTime = p.startSendPacketTime;
            c.readPacketFinishedTime = p.readPacketFinishedTime;
            if (p.startSendPacketTime != 0 && p.readPacketFinishedTime >= p.startSendPacketTime) {
                c.rtt = p.readPacketFinishedTime - p.startSendPacketTime;
            }
            c.channelType = p.channel;
            c.protocolType = p.channel != 0 ? Task.ETransportProtocolTCP : 0;
            return c;
        }
    }

    /**
     * What the library asks of the app: Mars's Java {@code StnLogic.ICallBack},
     * method for method. Each method runs on a library thread; any StnLogic/Stn
     * method may be called from inside. An exception thrown here never reaches the
     * library: it is printed and the fallback is used (req2Buf: fail the task;
     * buf2Resp: {@link #RESP_FAIL_HANDLE_TASK_END}; identify: {@link #ECHECK_NEVER};
     * makesureAuthed, onLongLinkIdentifyResp, isLogoned: false; others: nothing).
     * What libmars adds (user ids, channel names, network quality, net-check
     * results, link events) comes through {@link ExtendedCallBack}.
     */
    public interface ICallBack {
        /** Whether the user is logged in at host; polled for needAuthed tasks. */
        boolean makesureAuthed(String host);

        /** IPs for host, or null for the system resolver. */
        String[] onNewDns(final String host);

        /** A server push (a long-link packet with seq 0). */
        void onPush(final int cmdid, final int taskid, final byte[] data);

        /** Builds the request body into reqBuffer; false fails the task with (ectEnDecode, errCode[0]). */
        boolean req2Buf(final int taskID, Object userContext, ByteArrayOutputStream reqBuffer, int[] errCode,
                int channelSelect, final String host);

        /** Decodes a response; returns RESP_FAIL_HANDLE_*, errCode[0] goes to onTaskEnd. */
        int buf2Resp(final int taskID, Object userContext, final byte[] respBuffer, int[] errCode, int channelSelect);

        /** A task's outcome, exactly once per task (except stopTask/clearTask/silent end). */
        int onTaskEnd(final int taskID, Object userContext, final int errType, final int errCode,
                StnLogic.CgiProfile profile);

        /** Bytes of one socket write or read. Runs on an I/O thread; must not block or call hasTask. */
        void trafficData(final int send, final int recv);

        /** Mars's NetStatus numbers of the whole client and of the long link. */
        void reportConnectInfo(int status, int longlinkstatus);

        /** Fills an identify request; returns ECHECK_*. */
        int getLongLinkIdentifyCheckBuffer(ByteArrayOutputStream identifyReqBuf, ByteArrayOutputStream hashCodeBuffer,
                int[] reqRespCmdID);

        /** The identify answer; true stops further checks. */
        boolean onLongLinkIdentifyResp(final byte[] buffer, final byte[] hashCodeBuffer);

        /** Asks the app to pull (timing sync while the long link is down). */
        void requestDoSync();

        /** Hosts for the automatic network check's HTTP probe; null = no HTTP probe. */
        String[] requestNetCheckShortLinkHosts();

        /** Whether a user is logged in; chooses the timing sync's period. */
        boolean isLogoned();

        /** Every ended task's statistics as JSON ({@link com.marsgo.mars.stn.CgiProfile#toJson}). */
        void reportTaskProfile(String taskString);
    }

    /**
     * libmars's callback: {@link ICallBack} plus what Mars's Java interface lacks
     * (Mars's C++ {@code stn.h} parameters: user id, long-link channel, whether a
     * DNS query is for the long link; the full {@link com.marsgo.mars.stn.CgiProfile};
     * network quality, net-check results, long-link events, limiter reports). An app
     * implements this instead of ICallBack to get them; the library then calls only
     * the extended forms. The four task methods are abstract here; every other
     * method has a default, and optional callbacks are registered with the library
     * only when overridden (in either form), so e.g. trafficData costs nothing
     * unless used. Mars-shaped methods are defaulted so that an implementation
     * needs only the extended forms: the task ones pass {@code ""} as user id and
     * channel; the others return Mars's defaults.
     */
    public interface ExtendedCallBack extends ICallBack {
        boolean req2Buf(int taskID, Object userContext, String userId, ByteArrayOutputStream reqBuffer,
                int[] errCode, int channelSelect, String host);

        int buf2Resp(int taskID, Object userContext, String userId, byte[] respBuffer, int[] errCode,
                int channelSelect);

        int onTaskEnd(int taskID, Object userContext, String userId, int errType, int errCode,
                com.marsgo.mars.stn.CgiProfile profile);

        /** A server push on the long-link channel channelId ("" = the main one). */
        void onPush(String channelId, int cmdid, int taskid, byte[] data);

        /** Whether userId is logged in at host. Default: the Mars form. */
        default boolean makesureAuthed(String host, String userId) {
            return makesureAuthed(host);
        }

        /** IPs for host (longlink: asked for a long-link address). Default: the Mars form. */
        default String[] onNewDns(String host, boolean longlink) {
            return onNewDns(host);
        }

        /** Fills channel's identify request. Default: the Mars form. */
        default int getLongLinkIdentifyCheckBuffer(String channel, ByteArrayOutputStream identifyReqBuf,
                ByteArrayOutputStream hashCodeBuffer, int[] reqRespCmdID) {
            return getLongLinkIdentifyCheckBuffer(identifyReqBuf, hashCodeBuffer, reqRespCmdID);
        }

        /** channel's identify answer. Default: the Mars form. */
        default boolean onLongLinkIdentifyResp(String channel, byte[] buffer, byte[] hashCodeBuffer) {
            return onLongLinkIdentifyResp(buffer, hashCodeBuffer);
        }

        /** The JSON report of an automatic network check (Sdt.check's form); Mars only logs it. */
        default void onNetCheckResult(String json) {}

        /** Every change of the network quality level. */
        default void onNetworkQualityChange(NetworkQuality quality) {}

        /** MARS_LONGLINK_* status of the main long link. */
        default void onLongLinkStatusChange(int status) {}

        /** A long-link network event (connect success is (ectOK, 0)). */
        default void onLongLinkNetworkError(int errType, int errCode, String ip, int port) {}

        /**
         * MARS_LONGLINK_* status of the long link called name, for every link of the engine (the main one
         * included; {@link #onLongLinkStatusChange(int)} keeps reporting the main link alone).
         */
        default void onLongLinkStatusChangeOf(String name, int status) {}

        /** A network event of the long link called name, for every link (connect success is (ectOK, 0)). */
        default void onLongLinkNetworkErrorOf(String name, int errType, int errCode, String ip, int port) {}

        /**
         * IPs for host when the long link called name connects (Mars's per-link dns_func), or null for the
         * system resolver. When overridden it replaces {@code onNewDns(host, true)} for long-link connects.
         * Default: that form.
         */
        default String[] onLongLinkNewDns(String name, String host) {
            return onNewDns(host, true);
        }

        /**
         * A short-link address the built-in transport failed to connect to (Mars's OnShortLinkNetworkError):
         * errType ectSocket with the errno, a TLS code (-10100 pin mismatch, -10101 certificate, else -10096)
         * or a proxy's own code (-10097..-10099; then ip and port are the proxy's).
         */
        default void onShortLinkNetworkError(int errType, int errCode, String ip, int port) {}

        /**
         * The proxy of one connect to host (Mars's GetProxyInfo): each long-link connect attempt and each new
         * short-link connection. {@link ProxyInfo#DIRECT}: connect directly; null: the config's proxy. Runs on
         * a library thread of its own; a connect waits for it at most 2 s. Asked only when overridden (and then
         * the signalling keeper is off). On exception: the config's proxy.
         */
        default ProxyInfo getProxyInfo(String host, boolean longlink) {
            return null;
        }

        /** One DNS lookup behind a link's connect candidates (Mars's ReportDnsProfile). */
        default void reportDnsProfile(DnsProfile profile) {}

        /** An anti-avalanche rejection (checkType 1 frequency, 2 flow). */
        default void reportTaskLimited(int checkType, int taskID, int param) {}

        @Override
        default boolean req2Buf(int taskID, Object userContext, ByteArrayOutputStream reqBuffer, int[] errCode,
                int channelSelect, String host) {
            return req2Buf(taskID, userContext, "", reqBuffer, errCode, channelSelect, host);
        }

        @Override
        default int buf2Resp(int taskID, Object userContext, byte[] respBuffer, int[] errCode, int channelSelect) {
            return buf2Resp(taskID, userContext, "", respBuffer, errCode, channelSelect);
        }

        /** The Mars form has only the timing subset; called with a profile made from nothing, it is empty. */
        @Override
        default int onTaskEnd(int taskID, Object userContext, int errType, int errCode, StnLogic.CgiProfile profile) {
            return onTaskEnd(taskID, userContext, "", errType, errCode, null);
        }

        @Override
        default void onPush(int cmdid, int taskid, byte[] data) {
            onPush("", cmdid, taskid, data);
        }

        /** Default: true (nobody needs authentication). */
        @Override
        default boolean makesureAuthed(String host) {
            return true;
        }

        /** Default: null (the system resolver). */
        @Override
        default String[] onNewDns(String host) {
            return null;
        }

        @Override
        default void trafficData(int send, int recv) {}

        @Override
        default void reportConnectInfo(int status, int longlinkstatus) {}

        /** Default: ECHECK_NEVER. */
        @Override
        default int getLongLinkIdentifyCheckBuffer(ByteArrayOutputStream identifyReqBuf,
                ByteArrayOutputStream hashCodeBuffer, int[] reqRespCmdID) {
            return ECHECK_NEVER_VALUE;
        }

        /** Default: true. */
        @Override
        default boolean onLongLinkIdentifyResp(byte[] buffer, byte[] hashCodeBuffer) {
            return true;
        }

        @Override
        default void requestDoSync() {}

        /** Default: null (no HTTP probe). */
        @Override
        default String[] requestNetCheckShortLinkHosts() {
            return null;
        }

        /** Default: false (nobody is). */
        @Override
        default boolean isLogoned() {
            return false;
        }

        @Override
        default void reportTaskProfile(String taskString) {}
    }

    /** cb itself if it is an {@link ExtendedCallBack}, else an adapter that calls its Mars forms. */
    static ExtendedCallBack extended(ICallBack cb) {
        if (cb == null || cb instanceof ExtendedCallBack) return (ExtendedCallBack) cb;
        return new MarsCallBack(cb);
    }

    // ---- the default engine ----

    // Volatile, and read without the class lock: a callback must never wait for a
    // thread that holds the lock while it waits for that callback (destroy).
    private static volatile ICallBack callBack;
    private static volatile ExtendedCallBack extendedCallBack;
    private static volatile Consumer<String> netCheckListener;
    private static volatile Supplier<EngineDefaults> engineDefaults;
    private static volatile Stn engine;
    private static int clientVersion;
    private static String netCheckCgi;
    private static String llHost;
    private static int[] llPorts;
    private static String llDebugIP;
    private static Integer slPort;
    private static String slDebugIP;
    private static final Map<String, String> DEBUG_IPS = new LinkedHashMap<>();
    private static final Map<String, String[]> BACKUP_IPS = new LinkedHashMap<>();
    private static final Map<String, LongLinkConfig> LONGLINKS = new LinkedHashMap<>();
    private static String mainLonglink;

    /**
     * Sets the callback of the default engine (an {@link ICallBack} or an
     * {@link ExtendedCallBack}); it may be replaced at any time. Optional callbacks
     * are registered from the callback set when the engine is created.
     */
    public static void setCallBack(ICallBack _callBack) {
        extendedCallBack = extended(_callBack);
        callBack = _callBack;
    }

    /** Mars's StnLogic.requestDoSync: asks the app's callback to pull. */
    public static void requestDoSync() {
        ICallBack cb = callBack;
        if (cb != null) cb.requestDoSync();
    }

    /** Mars's StnLogic.isLogoned: the app's callback's answer, false with none. */
    public static boolean isLogoned() {
        ICallBack cb = callBack;
        return cb != null && cb.isLogoned();
    }

    /**
     * Not in Mars: where the automatic network check's JSON reports go besides
     * {@link ExtendedCallBack#onNetCheckResult} (SdtLogic sets it).
     */
    public static void setNetCheckListener(Consumer<String> listener) {
        netCheckListener = listener;
    }

    /**
     * Not in Mars: the path of the network check's HTTP probe
     * ({@code Stn.Config.netcheckCgi}); a live default engine is recreated.
     */
    public static void setNetCheckCgi(String requestURI) {
        Stn old;
        synchronized (StnLogic.class) {
            if (java.util.Objects.equals(requestURI, netCheckCgi)) return;
            netCheckCgi = requestURI;
            old = engine;
        }
        if (old != null) {
            onDestroy();
            engine();
        }
    }

    /** What AppLogic's callback gives the default engine when it is created. */
    public static final class EngineDefaults {
        final int clientVersion;
        final String appFilePath;

        public EngineDefaults(int clientVersion, String appFilePath) {
            this.clientVersion = clientVersion;
            this.appFilePath = appFilePath;
        }
    }

    /**
     * Not in Mars: where the default engine takes its client version (unless
     * {@link #setClientVersion} set one) and app folder from when it is created
     * (AppLogic sets it, as Mars's engine asks AppLogic's callback).
     */
    public static void setEngineDefaults(Supplier<EngineDefaults> defaults) {
        engineDefaults = defaults;
    }

    static void reportNetCheck(String json) {
        Consumer<String> l = netCheckListener;
        if (l != null) l.accept(json);
    }

    /** The default engine, created on first use. */
    public static Stn engine() {
        Stn e = engine;
        return e != null ? e : createEngine();
    }

    private static synchronized Stn createEngine() {
        if (engine == null) {
            Stn.Config cfg = new Stn.Config();
            cfg.clientVersion = clientVersion;
            Supplier<EngineDefaults> d = engineDefaults;
            EngineDefaults defaults = d == null ? null : d.get();
            if (defaults != null) {
                if (clientVersion == 0) cfg.clientVersion = defaults.clientVersion;
                cfg.appFileDir = defaults.appFilePath;
            }
            if (netCheckCgi != null) cfg.netcheckCgi = netCheckCgi;
            ICallBack target = callBack;
            engine = new Stn(cfg, new Forwarder(() -> extendedCallBack),
                    CallbackMask.ofDefaultEngine(target == null ? null : target.getClass()));
            replayAddresses(engine);
        }
        return engine;
    }

    /** Destroys the default engine (pending tasks end with (ectLocal, -9)); the next call creates a new one. */
    public static void onDestroy() {
        Stn e = engine;
        if (e == null) return;
        e.close(); // outside the lock: callbacks still running may call in
        synchronized (StnLogic.class) {
            if (engine == e) engine = null;
        }
    }

    private static void replayAddresses(Stn s) {
        if (llHost != null) s.setLonglinkSvrAddr(llHost, llPorts, llDebugIP);
        if (slPort != null) s.setShortlinkSvrAddr(slPort, slDebugIP);
        DEBUG_IPS.forEach(s::setDebugIP);
        BACKUP_IPS.forEach(s::setBackupIPs);
        LONGLINKS.values().forEach(s::createLongLink);
        if (mainLonglink != null) s.markMainLongLink(mainLonglink);
    }

    /**
     * Sets the long-link header's client version. A live default engine takes it
     * at once (Mars's behaviour): the connection stays, packets sent from now on
     * carry it and packets received from now on must carry it.
     */
    public static synchronized void setClientVersion(int version) {
        clientVersion = version;
        if (engine != null) engine.setClientVersion(version);
    }

    public static synchronized void setLonglinkSvrAddr(String host, int[] ports, String debugIP) {
        llHost = host;
        llPorts = ports == null ? null : ports.clone();
        llDebugIP = debugIP;
        engine().setLonglinkSvrAddr(host, ports, debugIP);
    }

    public static void setLonglinkSvrAddr(String host, int[] ports) {
        setLonglinkSvrAddr(host, ports, null);
    }

    public static synchronized void setShortlinkSvrAddr(int port, String debugIP) {
        slPort = port;
        slDebugIP = debugIP;
        engine().setShortlinkSvrAddr(port, debugIP);
    }

    public static void setShortlinkSvrAddr(int port) {
        setShortlinkSvrAddr(port, null);
    }

    public static synchronized void setDebugIP(String host, String ip) {
        engine().setDebugIP(host, ip);
        DEBUG_IPS.put(host, ip);
    }

    public static synchronized void setBackupIPs(String host, String[] ips) {
        engine().setBackupIPs(host, ips);
        BACKUP_IPS.put(host, ips.clone());
    }

    /** Queues a task; its outcome arrives through onTaskEnd. */
    public static void startTask(Task task) {
        engine().startTask(task);
    }

    public static void stopTask(int taskID) {
        engine().stopTask(taskID);
    }

    public static boolean hasTask(int taskID) {
        return engine().hasTask(taskID);
    }

    public static void redoTask() {
        engine().redoTask();
    }

    public static void touchTasks() {
        engine().touchTasks();
    }

    public static void clearTask() {
        engine().clearTask();
    }

    public static void reset() {
        engine().reset();
    }

    /** Mars's resetAndInitEncoderVersion: reset, then use a new client version. */
    public static synchronized void resetAndInitEncoderVersion(int version) {
        clientVersion = version;
        engine().resetAndInitEncoderVersion(version);
    }

    /** Mars's genSequenceId: a random client sequence id in 0..65535. */
    public static int genSequenceId() {
        return Stn.genSequenceId();
    }

    public static void makesureLongLinkConnected() {
        engine().makesureLongLinkConnected();
    }

    public static void setSignallingStrategy(long period, long keepTime) {
        engine().setSignallingStrategy(period, keepTime);
    }

    public static void keepSignalling() {
        engine().keepSignalling();
    }

    public static void stopSignalling() {
        engine().stopSignalling();
    }

    /**
     * A fresh task id from the counter {@link Task}'s constructors draw from, so the two
     * never hand out the same id (in Mars they can).
     */
    public static int genTaskID() {
        return Task.nextID();
    }

    // ---- several long links (Mars's C++ *_ext calls; Mars's Java has none) ----

    /**
     * Not in Mars's Java (Mars's CreateLonglink_ext): adds a named long link to the default engine; a task
     * whose {@link Task#channelName} is its name goes on it. Kept across a recreation of the default
     * engine ({@link #setClientVersion}), as the addresses are.
     *
     * @throws com.marsgo.mars.MarsException as {@link Stn#createLongLink}: EINVAL (a bad config), ESTATE
     *     (a link of that name exists)
     */
    public static synchronized void createLonglink(LongLinkConfig config) {
        engine().createLongLink(config);
        LONGLINKS.put(config.name, config.toBuilder().main(false).build());
        if (config.main) mainLonglink = config.name;
    }

    /**
     * Not in Mars's Java (DestroyLonglink_ext): removes a named long link; its tasks end with
     * (ectLocal, {@link #LOCAL_LONGLINK_RELEASED}).
     *
     * @throws com.marsgo.mars.MarsException EINVAL (an unknown name), ESTATE (the main link)
     */
    public static synchronized void destroyLonglink(String name) {
        engine().destroyLongLink(name);
        LONGLINKS.remove(name);
    }

    /** Not in Mars's Java (GetAllLonglink_ext, which Mars leaves empty): the default engine's link names, sorted. */
    public static java.util.List<String> getAllLonglink() {
        return engine().longLinks();
    }

    /** Not in Mars's Java: the main link's name ({@link Stn#DEFAULT_LONGLINK} until another is marked). */
    public static String getMainLonglink() {
        return engine().mainLongLink();
    }

    /**
     * Not in Mars's Java (MarkMainLonglink_ext): tasks with no channel name go to the named link from now on.
     *
     * @throws com.marsgo.mars.MarsException EINVAL (an unknown name)
     */
    public static synchronized void markMainLonglink(String name) {
        engine().markMainLongLink(name);
        mainLonglink = name;
    }

    /** Not in Mars's Java (LongLinkIsConnected_ext): whether the named link is connected. */
    public static boolean longLinkIsConnected(String name) {
        return engine().longLinkIsConnected(name);
    }

    /** Not in Mars's Java (MakesureLonglinkConnected_ext): connects the named link now (asynchronous). */
    public static void makesureLongLinkConnected(String name) {
        engine().makesureLongLinkConnected(name);
    }

    /**
     * Mars's passive heartbeat: stops the periodic heartbeat and sends one now
     * (the JNI call of the same name in Mars).
     */
    public static void trigNooping() {
        Stn e = engine();
        e.setHeartbeatMode(Stn.HEARTBEAT_PASSIVE);
        e.trigNoop();
    }

    /** {@link #proxyIsAvailable(ProxyInfo, String, int, int, int[])} with a 10 s timeout. */
    public static boolean proxyIsAvailable(ProxyInfo proxy, String testHost, int testPort) {
        return proxyIsAvailable(proxy, testHost, testPort, 0, null);
    }

    /**
     * Mars's ProxyIsAvailable: a GET / to testHost:testPort (0: 80) through proxy; true on status 200, 3xx or
     * 497. Blocks up to timeoutMs (0: 10 s): never call it from a callback.
     *
     * @param errCode when not null, errCode[0] receives 0 when available, else the proxy's own code
     *     (-10097..-10099), the HTTP status of another answer, or -1
     * @throws com.marsgo.mars.MarsException EINVAL for an unusable proxy (kind NONE or unknown, addr not
     *     host:port, a string too long for mars_proxy_info) or a port outside 0..65535
     */
    public static boolean proxyIsAvailable(ProxyInfo proxy, String testHost, int testPort, int timeoutMs,
            int[] errCode) {
        int[] r = Stn.proxyIsAvailable(proxy, testHost, testPort, timeoutMs);
        if (errCode != null && errCode.length > 0) errCode[0] = r[1];
        return r[0] != 0;
    }
}
