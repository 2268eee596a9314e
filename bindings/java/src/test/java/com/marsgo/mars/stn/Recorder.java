package com.marsgo.mars.stn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A test callback: requests are "task <id>", responses must echo them; events go to queues. */
class Recorder implements StnLogic.ExtendedCallBack {
    static final long TIMEOUT_S = 10;

    record End(int taskID, Object userContext, String userId, int errType, int errCode, CgiProfile profile,
            boolean daemonThread) {}

    record Push(String channel, int cmdid, int taskid, String body) {}

    final BlockingQueue<End> ends = new LinkedBlockingQueue<>();
    final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    final BlockingQueue<String> profiles = new LinkedBlockingQueue<>();
    volatile Consumer<End> onEnd = e -> {};
    volatile Consumer<Integer> onReq = id -> {};
    volatile RuntimeException throwInReq2Buf;
    volatile RuntimeException throwInBuf2Resp;

    static byte[] body(int taskID) {
        return ("task " + Integer.toUnsignedString(taskID)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean req2Buf(int taskID, Object ctx, String userId, ByteArrayOutputStream out, int[] err, int ch,
            String host) {
        onReq.accept(taskID);
        if (throwInReq2Buf != null) throw throwInReq2Buf;
        out.writeBytes(body(taskID));
        err[0] = 0;
        return true;
    }

    @Override
    public int buf2Resp(int taskID, Object ctx, String userId, byte[] resp, int[] err, int ch) {
        if (throwInBuf2Resp != null) throw throwInBuf2Resp;
        if (!java.util.Arrays.equals(resp, body(taskID))) {
            err[0] = 77;
            return StnLogic.RESP_FAIL_HANDLE_TASK_END;
        }
        err[0] = 0;
        return StnLogic.RESP_FAIL_HANDLE_NORMAL;
    }

    @Override
    public int onTaskEnd(int taskID, Object ctx, String userId, int errType, int errCode, CgiProfile p) {
        End e = new End(taskID, ctx, userId, errType, errCode, p, Thread.currentThread().isDaemon());
        ends.add(e);
        onEnd.accept(e);
        return 0;
    }

    @Override
    public void onPush(String channel, int cmdid, int taskid, byte[] data) {
        pushes.add(new Push(channel, cmdid, taskid, new String(data, StandardCharsets.UTF_8)));
    }

    @Override
    public void reportTaskProfile(String json) {
        profiles.add(json);
    }

    End awaitEnd() throws InterruptedException {
        End e = ends.poll(TIMEOUT_S, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no onTaskEnd within " + TIMEOUT_S + " s");
        return e;
    }

    Push awaitPush() throws InterruptedException {
        Push p = pushes.poll(TIMEOUT_S, TimeUnit.SECONDS);
        if (p == null) throw new AssertionError("no onPush within " + TIMEOUT_S + " s");
        return p;
    }
}
