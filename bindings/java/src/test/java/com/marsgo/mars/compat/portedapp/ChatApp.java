package com.marsgo.mars.compat.portedapp;

// A Mars Android app's code as Mars's samples write it. Only these import lines
// differ from the Mars original (com.tencent.mars -> com.marsgo.mars).
import com.marsgo.mars.BaseEvent;
import com.marsgo.mars.Mars;
import com.marsgo.mars.app.AppLogic;
import com.marsgo.mars.stn.StnLogic;
import com.marsgo.mars.xlog.Log;
import com.marsgo.mars.xlog.Xlog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

public class ChatApp implements StnLogic.ICallBack, AppLogic.ICallBack {
    private static final String TAG = "ChatApp";

    public final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final String appDir;

    public ChatApp(String appDir) {
        this.appDir = appDir;
    }

    public void start(String logDir, String host, int longPort, int shortPort) {
        Mars.loadDefaultMarsLibrary();
        Xlog.open(true, Xlog.LEVEL_DEBUG, Xlog.AppednerModeSync, appDir + "/cache", logDir, "chat", "");
        Log.setLogImp(new Xlog());
        AppLogic.setCallBack(this);
        StnLogic.setCallBack(this);
        Mars.onCreate(true);
        BaseEvent.onForeground(true);
        StnLogic.setLonglinkSvrAddr(host, new int[] {longPort});
        StnLogic.setShortlinkSvrAddr(shortPort);
        BaseEvent.onNetworkChange();
        Log.i(TAG, "chat started, client version %d", getClientVersion());
    }

    public void send(int cmdid, String text) {
        StnLogic.Task task = new StnLogic.Task(StnLogic.Task.ELong, cmdid, null, null);
        task.userContext = text;
        task.priority = StnLogic.Task.ETASK_PRIORITY_NORMAL;
        StnLogic.startTask(task);
    }

    public void stop() {
        Mars.onDestroy();
        Log.appenderClose();
    }

    // StnLogic.ICallBack

    @Override
    public boolean makesureAuthed(String host) {
        return true;
    }

    @Override
    public String[] onNewDns(final String host) {
        return null;
    }

    @Override
    public void onPush(final int cmdid, final int taskid, final byte[] data) {
        Log.i(TAG, "push cmd %d: %s", cmdid, new String(data, StandardCharsets.UTF_8));
        events.add("push " + cmdid);
    }

    @Override
    public boolean req2Buf(final int taskID, Object userContext, ByteArrayOutputStream reqBuffer, int[] errCode,
            int channelSelect, final String host) {
        reqBuffer.writeBytes(((String) userContext).getBytes(StandardCharsets.UTF_8));
        return true;
    }

    @Override
    public int buf2Resp(final int taskID, Object userContext, final byte[] respBuffer, int[] errCode,
            int channelSelect) {
        Log.d(TAG, "response to %s: %d bytes", userContext, respBuffer.length);
        return StnLogic.RESP_FAIL_HANDLE_NORMAL;
    }

    @Override
    public int onTaskEnd(final int taskID, Object userContext, final int errType, final int errCode,
            StnLogic.CgiProfile profile) {
        events.add("end " + errType + " " + errCode + " channel " + profile.channelType);
        return 0;
    }

    @Override
    public void trafficData(final int send, final int recv) {}

    @Override
    public void reportConnectInfo(int status, int longlinkstatus) {}

    @Override
    public int getLongLinkIdentifyCheckBuffer(ByteArrayOutputStream identifyReqBuf,
            ByteArrayOutputStream hashCodeBuffer, int[] reqRespCmdID) {
        return StnLogic.ECHECK_NEVER;
    }

    @Override
    public boolean onLongLinkIdentifyResp(final byte[] buffer, final byte[] hashCodeBuffer) {
        return false;
    }

    @Override
    public void requestDoSync() {}

    @Override
    public String[] requestNetCheckShortLinkHosts() {
        return new String[0];
    }

    @Override
    public boolean isLogoned() {
        return true;
    }

    @Override
    public void reportTaskProfile(String taskString) {}

    // AppLogic.ICallBack

    @Override
    public String getAppFilePath() {
        return appDir;
    }

    @Override
    public AppLogic.AccountInfo getAccountInfo() {
        return new AppLogic.AccountInfo(10001, "alice");
    }

    @Override
    public int getClientVersion() {
        return 200;
    }

    @Override
    public AppLogic.DeviceInfo getDeviceType() {
        return new AppLogic.DeviceInfo("test", "jvm");
    }
}
