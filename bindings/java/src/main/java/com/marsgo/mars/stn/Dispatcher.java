package com.marsgo.mars.stn;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * The object the JNI glue calls back on library threads, one per {@link Stn}. Each
 * method forwards to the app's callback (as {@link StnLogic.ExtendedCallBack}) and never lets an
 * exception out: it is printed and Mars's value for a failed callback is returned.
 * The glue holds a global reference to this object until the engine is closed.
 */
final class Dispatcher {
    private final StnLogic.ExtendedCallBack callback;
    private final Map<Long, StnLogic.Task> tasks;
    /** Keeps the engine object reachable while the library may call back. */
    @SuppressWarnings("unused")
    private final Stn owner;

    Dispatcher(Stn owner, StnLogic.ExtendedCallBack callback, Map<Long, StnLogic.Task> tasks) {
        this.owner = owner;
        this.callback = callback;
        this.tasks = tasks;
    }

    private static void report(String where, Throwable e) {
        System.err.println("mars: exception in ICallBack." + where + " (ignored, default used)");
        e.printStackTrace();
    }

    private Object context(long token) {
        StnLogic.Task t = tasks.get(token);
        return t == null ? null : t.userContext;
    }

    byte[] cbReq2Buf(long token, int taskid, int cmdid, String userId, int channel, String host, int[] err) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            return callback.req2Buf(taskid, context(token), userId, out, err, channel, host) ? out.toByteArray() : null;
        } catch (Throwable e) {
            report("req2Buf", e);
            return null;
        }
    }

    int cbBuf2Resp(long token, int taskid, int cmdid, String userId, int channel, byte[] body, int[] err) {
        try {
            int rc = callback.buf2Resp(taskid, context(token), userId, body, err, channel);
            if (rc == StnLogic.RESP_FAIL_HANDLE_SILENT_TASK_END && channel == StnLogic.LONGLINK) tasks.remove(token);
            return rc;
        } catch (Throwable e) {
            report("buf2Resp", e);
            return StnLogic.RESP_FAIL_HANDLE_TASK_END_VALUE;
        }
    }

    int cbTaskEnd(long token, int taskid, int cmdid, String userId, int errType, int errCode, long[] pl, String[] ps) {
        StnLogic.Task t = tasks.remove(token);
        try {
            CgiProfile p = pl == null ? null : new CgiProfile(pl, ps);
            return callback.onTaskEnd(taskid, t == null ? null : t.userContext, userId, errType, errCode, p);
        } catch (Throwable e) {
            report("onTaskEnd", e);
            return 0;
        }
    }

    void cbPush(String channel, int cmdid, int taskid, byte[] body) {
        try {
            callback.onPush(channel, cmdid, taskid, body);
        } catch (Throwable e) {
            report("onPush", e);
        }
    }

    String[] cbNewDns(String host, boolean longlink) {
        try {
            return callback.onNewDns(host, longlink);
        } catch (Throwable e) {
            report("onNewDns", e);
            return null;
        }
    }

    boolean cbMakesureAuthed(String host, String userId) {
        try {
            return callback.makesureAuthed(host, userId);
        } catch (Throwable e) {
            report("makesureAuthed", e);
            return false;
        }
    }

    void cbReportConnectStatus(int status, int longlinkStatus) {
        try {
            callback.reportConnectInfo(status, longlinkStatus);
        } catch (Throwable e) {
            report("reportConnectInfo", e);
        }
    }

    void cbLongLinkStatusChange(int status) {
        try {
            callback.onLongLinkStatusChange(status);
        } catch (Throwable e) {
            report("onLongLinkStatusChange", e);
        }
    }

    void cbLongLinkNetworkError(int errType, int errCode, String ip, int port) {
        try {
            callback.onLongLinkNetworkError(errType, errCode, ip, port);
        } catch (Throwable e) {
            report("onLongLinkNetworkError", e);
        }
    }

    void cbLongLinkStatusChangeOf(String name, int status) {
        try {
            callback.onLongLinkStatusChangeOf(name, status);
        } catch (Throwable e) {
            report("onLongLinkStatusChangeOf", e);
        }
    }

    void cbLongLinkNetworkErrorOf(String name, int errType, int errCode, String ip, int port) {
        try {
            callback.onLongLinkNetworkErrorOf(name, errType, errCode, ip, port);
        } catch (Throwable e) {
            report("onLongLinkNetworkErrorOf", e);
        }
    }

    String[] cbLongLinkNewDns(String name, String host) {
        try {
            return callback.onLongLinkNewDns(name, host);
        } catch (Throwable e) {
            report("onLongLinkNewDns", e);
            return null;
        }
    }

    void cbShortLinkNetworkError(int errType, int errCode, String ip, int port) {
        try {
            callback.onShortLinkNetworkError(errType, errCode, ip, port);
        } catch (Throwable e) {
            report("onShortLinkNetworkError", e);
        }
    }

    /** get_proxy_info: null for the config's proxy, else {addr, user, password} with kindOut[0] set. */
    String[] cbGetProxyInfo(String host, boolean longlink, int[] kindOut) {
        try {
            ProxyInfo p = callback.getProxyInfo(host, longlink);
            if (p == null) return null;
            kindOut[0] = p.kind;
            return new String[] {p.addr, p.user, p.password};
        } catch (Throwable e) {
            report("getProxyInfo", e);
            return null;
        }
    }

    void cbReportDnsProfile(String host, boolean longlink, int source, String[] ips, long startMs, long costMs,
            int errType, int errCode, String error) {
        try {
            callback.reportDnsProfile(new DnsProfile(host, longlink, source, java.util.List.of(ips), startMs, costMs,
                    errType, errCode, error));
        } catch (Throwable e) {
            report("reportDnsProfile", e);
        }
    }

    int cbGetIdentifyCheckBuffer(String channel, byte[][] out, int[] cmdid) {
        try {
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            ByteArrayOutputStream hash = new ByteArrayOutputStream();
            int mode = callback.getLongLinkIdentifyCheckBuffer(channel, req, hash, cmdid);
            out[0] = req.toByteArray();
            out[1] = hash.toByteArray();
            return mode;
        } catch (Throwable e) {
            report("getLongLinkIdentifyCheckBuffer", e);
            return StnLogic.ECHECK_NEVER_VALUE;
        }
    }

    boolean cbIdentifyResponse(String channel, byte[] resp, byte[] hash) {
        try {
            return callback.onLongLinkIdentifyResp(channel, resp, hash);
        } catch (Throwable e) {
            report("onLongLinkIdentifyResp", e);
            return false;
        }
    }

    void cbTrafficData(long send, long recv) {
        try {
            callback.trafficData((int) Math.min(send, Integer.MAX_VALUE), (int) Math.min(recv, Integer.MAX_VALUE));
        } catch (Throwable e) {
            report("trafficData", e);
        }
    }

    void cbReportTaskProfile(long[] pl, String[] ps) {
        try {
            callback.reportTaskProfile(new CgiProfile(pl, ps).toJson());
        } catch (Throwable e) {
            report("reportTaskProfile", e);
        }
    }

    void cbReportTaskLimited(int checkType, long token, int taskid, int param) {
        try {
            callback.reportTaskLimited(checkType, taskid, param);
        } catch (Throwable e) {
            report("reportTaskLimited", e);
        }
    }

    void cbRequestSync() {
        try {
            callback.requestDoSync();
        } catch (Throwable e) {
            report("requestDoSync", e);
        }
    }

    void cbNetworkQualityChange(long[] v) {
        try {
            callback.onNetworkQualityChange(new NetworkQuality(v));
        } catch (Throwable e) {
            report("onNetworkQualityChange", e);
        }
    }

    boolean cbIsLogoned() {
        try {
            return callback.isLogoned();
        } catch (Throwable e) {
            report("isLogoned", e);
            return false;
        }
    }

    String[] cbRequestNetCheckHosts() {
        try {
            return callback.requestNetCheckShortLinkHosts();
        } catch (Throwable e) {
            report("requestNetCheckShortLinkHosts", e);
            return null;
        }
    }

    void cbNetCheckResult(byte[] json) {
        try {
            callback.onNetCheckResult(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        } catch (Throwable e) {
            report("onNetCheckResult", e);
        }
    }
}
