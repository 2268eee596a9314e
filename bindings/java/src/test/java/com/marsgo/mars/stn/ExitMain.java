package com.marsgo.mars.stn;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A program for {@link ExitTest}: runs one task so library threads get attached,
 * then returns from main without closing the engine. The JVM must still exit
 * (threads are attached as daemons).
 */
public final class ExitMain {
    private ExitMain() {}

    public static void main(String[] args) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int[] result = {-1};
        Stn.Config cfg = new Stn.Config();
        cfg.clientVersion = Integer.parseInt(args[2]);
        cfg.longlinkHost = args[0];
        cfg.longlinkPorts = new int[] {Integer.parseInt(args[1])};
        Stn s = new Stn(cfg, new StnLogic.ExtendedCallBack() {
            @Override
            public boolean req2Buf(int id, Object c, String u, ByteArrayOutputStream out, int[] e, int ch, String h) {
                out.writeBytes(new byte[] {'x'});
                return true;
            }

            @Override
            public int buf2Resp(int id, Object c, String u, byte[] r, int[] e, int ch) {
                return 0;
            }

            @Override
            public int onTaskEnd(int id, Object c, String u, int type, int code, CgiProfile p) {
                result[0] = type;
                done.countDown();
                return 0;
            }

            @Override
            public void onPush(String ch, int cmd, int id, byte[] d) {}
        });
        s.startTask(new StnLogic.Task(StnLogic.LONGLINK, 100, null, null));
        if (!done.await(10, TimeUnit.SECONDS)) System.exit(3);
        System.out.println("ended " + result[0]);
        // no s.close(): the engine and its attached threads are still alive here
    }
}
