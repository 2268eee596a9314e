package com.marsgo.mars.stn;

import com.marsgo.mars.Mars;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>Differences from Mars: {@link #setClientVersion} on a live engine recreates it
 * (pending tasks end with {@code (ectLocal, -9)}), because libmars takes the client
 * version only at creation; addresses set through this class are applied again.
 * Failed calls throw {@link com.marsgo.mars.MarsException}.
 */
public final class StnLogic {
    static {
        Mars.loadDefaultMarsLibrary();
    }

    private StnLogic() {}

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

    // reportConnectInfo status.
    public static final int NETWORK_UNKNOWN = -1;
    public static final int NETWORK_UNAVAILABLE = 0;
    public static final int GATEWAY_FAILED = 1;
    public static final int SERVER_FAILED = 2;
    public static final int CONNECTTING = 3;
    public static final int CONNECTED = 4;
    public static final int SERVER_DOWN = 5;

    // getLongLinkIdentifyCheckBuffer results.
    public static final int ECHECK_NOW = 0;
    public static final int ECHECK_NEXT = 1;
    public static final int ECHECK_NEVER = 2;

    // buf2Resp results.
    public static final int RESP_FAIL_HANDLE_NORMAL = 0;
    public static final int RESP_FAIL_HANDLE_DEFAULT = -1;
    public static final int RESP_FAIL_HANDLE_SESSION_TIMEOUT = -13;
    public static final int RESP_FAIL_HANDLE_TASK_END = -14;
    public static final int RESP_FAIL_HANDLE_SILENT_TASK_END = -16;

    public static final int TASK_END_SUCCESS = 0;
    public static final int INVALID_TASK_ID = -1;

    /**
     * A request, as Mars's {@code StnLogic.Task}. Both constructors take Mars's Java
     * defaults: need authed, both limits on, normal priority, one retry
     * ({@code retryCount = -1}), no server cost or total timeout given. The no-argument
     * constructor also selects {@link #EBoth}. {@link #taskID} comes from a counter
     * (as in Mars); set it to 0 to let the library assign one.
     */
    public static class Task {
        public static final int ENORMAL = 0;
        public static final int EFAST = 1;

        public static final int ETASK_PRIORITY_HIGHEST = 0;
        public static final int ETASK_PRIORITY_NORMAL = 3;
        public static final int ETASK_PRIORITY_LOWEST = 5;

        public static final int EShort = 0x1;
        public static final int ELong = 0x2;
        public static final int EBoth = 0x3;

        private static final AtomicInteger NEXT_ID = new AtomicInteger(0);

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
            this.taskID = NEXT_ID.incrementAndGet();
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
     * What the library asks of the app, as Mars's {@code StnLogic.ICallBack}. Each
     * method runs on a library thread; any StnLogic/Stn method may be called from
     * inside. An exception thrown here never reaches the library: it is printed and
     * the documented fallback is used (req2Buf: fail the task; buf2Resp:
     * {@link #RESP_FAIL_HANDLE_TASK_END}; identify: {@link #ECHECK_NEVER}; others:
     * the default shown). Methods with a default body are only registered with the
     * library when overridden.
     */
    public interface ICallBack {
        /** Builds the request body into reqBuffer; false fails the task with (ectEnDecode, errCode[0]). */
        boolean req2Buf(int taskID, Object userContext, String userId, ByteArrayOutputStream reqBuffer,
                int[] errCode, int channelSelect, String host);

        /** Decodes a response; returns RESP_FAIL_HANDLE_*, errCode[0] goes to onTaskEnd. */
        int buf2Resp(int taskID, Object userContext, String userId, byte[] respBuffer, int[] errCode,
                int channelSelect);

        /** A task's outcome, exactly once per task (except stopTask/clearTask/silent end). */
        int onTaskEnd(int taskID, Object userContext, String userId, int errType, int errCode, CgiProfile profile);

        /** A server push (a long-link packet with seq 0). */
        void onPush(String channelId, int cmdid, int taskid, byte[] data);

        /** Whether userId is logged in at host; polled for needAuthed tasks. Default: true. */
        default boolean makesureAuthed(String host, String userId) {
            return true;
        }

        /** IPs for host, or null for the system resolver. Default: null. */
        default String[] onNewDns(String host, boolean longlink) {
            return null;
        }

        /** Bytes of one socket write or read. Runs on an I/O thread; must not block or call hasTask. */
        default void trafficData(int send, int recv) {}

        /** Mars's NetStatus numbers of the whole client and of the long link. */
        default void reportConnectInfo(int status, int longlinkstatus) {}

        /** Fills an identify request; returns ECHECK_*. Default: ECHECK_NEVER. */
        default int getLongLinkIdentifyCheckBuffer(String channel, ByteArrayOutputStream identifyReqBuf,
                ByteArrayOutputStream hashCodeBuffer, int[] reqRespCmdID) {
            return ECHECK_NEVER;
        }

        /** The identify answer; true stops further checks. Default: true. */
        default boolean onLongLinkIdentifyResp(String channel, byte[] buffer, byte[] hashCodeBuffer) {
            return true;
        }

        /** Asks the app to pull (timing sync while the long link is down). */
        default void requestDoSync() {}

        /**
         * Hosts for the automatic network check's HTTP probe (GET Stn.Config.netcheckCgi
         * at the short-link port); null = no HTTP probe.
         */
        default String[] requestNetCheckShortLinkHosts() {
            return null;
        }

        /** Whether a user is logged in; chooses the timing sync's period. Not overridden: nobody is. */
        default boolean isLogoned() {
            return false;
        }

        /** The JSON report of an automatic network check (Sdt.check's form); Mars only logs it. */
        default void onNetCheckResult(String json) {}

        /** libmars: every change of the network quality level. */
        default void onNetworkQualityChange(NetworkQuality quality) {}

        /** Every ended task's statistics as JSON ({@link CgiProfile#toJson}). */
        default void reportTaskProfile(String taskString) {}

        /** libmars: MARS_LONGLINK_* status of the main long link. */
        default void onLongLinkStatusChange(int status) {}

        /** libmars: a long-link network event (connect success is (ectOK, 0)). */
        default void onLongLinkNetworkError(int errType, int errCode, String ip, int port) {}

        /** libmars: an anti-avalanche rejection (checkType 1 frequency, 2 flow). */
        default void reportTaskLimited(int checkType, int taskID, int param) {}
    }

    // ---- the default engine ----

    // Volatile, and read without the class lock: a callback must never wait for a
    // thread that holds the lock while it waits for that callback (destroy).
    private static volatile ICallBack callBack;
    private static volatile Stn engine;
    private static int clientVersion;
    private static String llHost;
    private static int[] llPorts;
    private static String llDebugIP;
    private static Integer slPort;
    private static String slDebugIP;
    private static final Map<String, String> DEBUG_IPS = new LinkedHashMap<>();
    private static final Map<String, String[]> BACKUP_IPS = new LinkedHashMap<>();

    /** Sets the callback of the default engine; it may be replaced at any time. */
    public static void setCallBack(ICallBack cb) {
        callBack = cb;
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
            ICallBack target = callBack;
            engine = new Stn(cfg, new Forwarder(() -> callBack), target == null ? null : target.getClass());
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
    }

    /** Sets the long-link header's client version; a live default engine is recreated. */
    public static void setClientVersion(int version) {
        Stn old;
        synchronized (StnLogic.class) {
            if (version == clientVersion) return;
            clientVersion = version;
            old = engine;
        }
        if (old != null) {
            onDestroy();
            engine();
        }
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
    public static void resetAndInitEncoderVersion(int version) {
        reset();
        setClientVersion(version);
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

    public static int genTaskID() {
        return engine().genTaskID();
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
}
