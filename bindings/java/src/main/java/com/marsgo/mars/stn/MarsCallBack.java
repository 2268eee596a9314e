package com.marsgo.mars.stn;

import java.io.ByteArrayOutputStream;

/**
 * An app's Mars-shaped {@link StnLogic.ICallBack} seen as an
 * {@link StnLogic.ExtendedCallBack}: what Mars's Java interface has no parameter
 * for (user id, channel, long-link flag) is dropped, the profile is cut to Mars's
 * {@link StnLogic.CgiProfile}, and libmars's extra events go nowhere.
 */
final class MarsCallBack implements StnLogic.ExtendedCallBack {
    private final StnLogic.ICallBack app;

    MarsCallBack(StnLogic.ICallBack app) {
        this.app = app;
    }

    @Override
    public boolean req2Buf(int taskID, Object ctx, String userId, ByteArrayOutputStream buf, int[] err, int ch,
            String host) {
        return app.req2Buf(taskID, ctx, buf, err, ch, host);
    }

    @Override
    public int buf2Resp(int taskID, Object ctx, String userId, byte[] resp, int[] err, int ch) {
        return app.buf2Resp(taskID, ctx, resp, err, ch);
    }

    @Override
    public int onTaskEnd(int taskID, Object ctx, String userId, int errType, int errCode, CgiProfile profile) {
        return app.onTaskEnd(taskID, ctx, errType, errCode, StnLogic.CgiProfile.of(profile));
    }

    @Override
    public void onPush(String channelId, int cmdid, int taskid, byte[] data) {
        app.onPush(cmdid, taskid, data);
    }

    @Override
    public boolean makesureAuthed(String host) {
        return app.makesureAuthed(host);
    }

    @Override
    public String[] onNewDns(String host) {
        return app.onNewDns(host);
    }

    @Override
    public void trafficData(int send, int recv) {
        app.trafficData(send, recv);
    }

    @Override
    public void reportConnectInfo(int status, int longlinkstatus) {
        app.reportConnectInfo(status, longlinkstatus);
    }

    @Override
    public int getLongLinkIdentifyCheckBuffer(ByteArrayOutputStream req, ByteArrayOutputStream hash, int[] cmd) {
        return app.getLongLinkIdentifyCheckBuffer(req, hash, cmd);
    }

    @Override
    public boolean onLongLinkIdentifyResp(byte[] buffer, byte[] hash) {
        return app.onLongLinkIdentifyResp(buffer, hash);
    }

    @Override
    public void requestDoSync() {
        app.requestDoSync();
    }

    @Override
    public String[] requestNetCheckShortLinkHosts() {
        return app.requestNetCheckShortLinkHosts();
    }

    @Override
    public boolean isLogoned() {
        return app.isLogoned();
    }

    @Override
    public void reportTaskProfile(String taskString) {
        app.reportTaskProfile(taskString);
    }
}
