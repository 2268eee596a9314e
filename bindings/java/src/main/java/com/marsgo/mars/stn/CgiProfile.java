package com.marsgo.mars.stn;

/**
 * A task's statistics (mars_task_profile), given to {@code onTaskEnd} and, as JSON,
 * to {@code reportTaskProfile}. Times are Unix milliseconds; 0 means "did not
 * happen".
 */
public final class CgiProfile {
    public final int taskId;
    public final int cmdId;
    /** {@link StnLogic#SHORTLINK} or {@link StnLogic#LONGLINK} of the last attempt; 0 if none. */
    public final int channel;
    public final int attempts;
    public final int errType;
    public final int errCode;
    public final long taskStartTime;
    public final long startSendPacketTime;
    public final long readPacketFinishedTime;
    public final long taskEndTime;
    public final long sendBytes;
    public final long recvBytes;
    public final int connectPort;
    public final long startConnectTime;
    public final long connectSuccessfulTime;
    public final long firstPkgTimeout;
    public final long taskTimeout;
    /** A weak-network mark was active when the task ended (Mars's is_weak_network). */
    public final boolean weakNetwork;
    public final String cgi;
    public final String userId;
    public final String reportArg;
    public final String connectIp;

    /** Built by the glue from the arrays it fills (order as in stn_callbacks.c). */
    CgiProfile(long[] v, String[] s) {
        taskId = (int) v[0];
        cmdId = (int) v[1];
        channel = (int) v[2];
        attempts = (int) v[3];
        errType = (int) v[4];
        errCode = (int) v[5];
        taskStartTime = v[6];
        startSendPacketTime = v[7];
        readPacketFinishedTime = v[8];
        taskEndTime = v[9];
        sendBytes = v[10];
        recvBytes = v[11];
        connectPort = (int) v[12];
        startConnectTime = v[13];
        connectSuccessfulTime = v[14];
        firstPkgTimeout = v[15];
        taskTimeout = v[16];
        weakNetwork = v.length > 17 && v[17] != 0;
        cgi = s[0];
        userId = s[1];
        reportArg = s[2];
        connectIp = s[3];
    }

    /** The profile as a JSON object, the form Mars's reportTaskProfile receives. */
    public String toJson() {
        return "{\"taskId\":" + Integer.toUnsignedString(taskId) + ",\"cmdId\":" + Integer.toUnsignedString(cmdId)
                + ",\"cgi\":" + quote(cgi) + ",\"userId\":" + quote(userId) + ",\"reportArg\":" + quote(reportArg)
                + ",\"channel\":" + channel + ",\"attempts\":" + attempts + ",\"errType\":" + errType
                + ",\"errCode\":" + errCode + ",\"startTime\":" + taskStartTime + ",\"startSendTime\":"
                + startSendPacketTime + ",\"readFinishTime\":" + readPacketFinishedTime + ",\"endTime\":"
                + taskEndTime + ",\"sendBytes\":" + sendBytes + ",\"recvBytes\":" + recvBytes
                + ",\"connectIp\":" + quote(connectIp) + ",\"connectPort\":" + connectPort
                + ",\"connectStartTime\":" + startConnectTime + ",\"connectDoneTime\":" + connectSuccessfulTime
                + ",\"firstPkgTimeout\":" + firstPkgTimeout + ",\"taskTimeout\":" + taskTimeout + ",\"weakNetwork\":"
                + weakNetwork + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
