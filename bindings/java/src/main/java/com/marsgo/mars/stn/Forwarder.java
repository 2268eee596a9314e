package com.marsgo.mars.stn;

import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;

/**
 * The default engine's callback: forwards each call to whatever
 * {@link StnLogic#setCallBack} set last (read without a lock, so a callback never
 * waits for a thread that waits for it), with Mars's defaults when none is set.
 */
final class Forwarder implements StnLogic.ExtendedCallBack {
    private final Supplier<StnLogic.ExtendedCallBack> current;

    Forwarder(Supplier<StnLogic.ExtendedCallBack> current) {
        this.current = current;
    }

    private StnLogic.ExtendedCallBack target() {
        return current.get();
    }

    @Override
    public boolean req2Buf(int taskID, Object ctx, String uid, ByteArrayOutputStream buf, int[] err, int ch,
            String host) {
        StnLogic.ExtendedCallBack t = target();
        return t != null && t.req2Buf(taskID, ctx, uid, buf, err, ch, host);
    }

    @Override
    public int buf2Resp(int taskID, Object ctx, String uid, byte[] resp, int[] err, int ch) {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? StnLogic.RESP_FAIL_HANDLE_TASK_END_VALUE : t.buf2Resp(taskID, ctx, uid, resp, err, ch);
    }

    @Override
    public int onTaskEnd(int taskID, Object ctx, String uid, int errType, int errCode, CgiProfile p) {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? 0 : t.onTaskEnd(taskID, ctx, uid, errType, errCode, p);
    }

    @Override
    public void onPush(String channelId, int cmdid, int taskid, byte[] data) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onPush(channelId, cmdid, taskid, data);
    }

    @Override
    public boolean makesureAuthed(String host, String uid) {
        StnLogic.ExtendedCallBack t = target();
        return t == null || t.makesureAuthed(host, uid);
    }

    @Override
    public String[] onNewDns(String host, boolean longlink) {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? null : t.onNewDns(host, longlink);
    }

    @Override
    public void trafficData(int send, int recv) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.trafficData(send, recv);
    }

    @Override
    public void reportConnectInfo(int status, int longlinkstatus) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.reportConnectInfo(status, longlinkstatus);
    }

    @Override
    public int getLongLinkIdentifyCheckBuffer(String channel, ByteArrayOutputStream req,
            ByteArrayOutputStream hash, int[] cmd) {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? StnLogic.ECHECK_NEVER_VALUE : t.getLongLinkIdentifyCheckBuffer(channel, req, hash, cmd);
    }

    @Override
    public boolean onLongLinkIdentifyResp(String channel, byte[] buffer, byte[] hash) {
        StnLogic.ExtendedCallBack t = target();
        return t == null || t.onLongLinkIdentifyResp(channel, buffer, hash);
    }

    @Override
    public void requestDoSync() {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.requestDoSync();
    }

    @Override
    public void reportTaskProfile(String taskString) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.reportTaskProfile(taskString);
    }

    @Override
    public void onLongLinkStatusChange(int status) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onLongLinkStatusChange(status);
    }

    @Override
    public void onLongLinkNetworkError(int errType, int errCode, String ip, int port) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onLongLinkNetworkError(errType, errCode, ip, port);
    }

    @Override
    public void onLongLinkStatusChangeOf(String name, int status) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onLongLinkStatusChangeOf(name, status);
    }

    @Override
    public void onLongLinkNetworkErrorOf(String name, int errType, int errCode, String ip, int port) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onLongLinkNetworkErrorOf(name, errType, errCode, ip, port);
    }

    @Override
    public String[] onLongLinkNewDns(String name, String host) {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? null : t.onLongLinkNewDns(name, host);
    }

    @Override
    public void onShortLinkNetworkError(int errType, int errCode, String ip, int port) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onShortLinkNetworkError(errType, errCode, ip, port);
    }

    @Override
    public ProxyInfo getProxyInfo(String host, boolean longlink) {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? null : t.getProxyInfo(host, longlink);
    }

    @Override
    public void reportDnsProfile(DnsProfile profile) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.reportDnsProfile(profile);
    }

    @Override
    public void reportTaskLimited(int checkType, int taskID, int param) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.reportTaskLimited(checkType, taskID, param);
    }

    @Override
    public String[] requestNetCheckShortLinkHosts() {
        StnLogic.ExtendedCallBack t = target();
        return t == null ? null : t.requestNetCheckShortLinkHosts();
    }

    @Override
    public boolean isLogoned() {
        StnLogic.ExtendedCallBack t = target();
        return t != null && t.isLogoned();
    }

    @Override
    public void onNetCheckResult(String json) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onNetCheckResult(json);
        StnLogic.reportNetCheck(json);
    }

    @Override
    public void onNetworkQualityChange(NetworkQuality quality) {
        StnLogic.ExtendedCallBack t = target();
        if (t != null) t.onNetworkQualityChange(quality);
    }
}
