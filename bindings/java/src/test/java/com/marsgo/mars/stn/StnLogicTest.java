package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Marsd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Mars-shaped static facade: the same calls an Android app makes. */
class StnLogicTest {
    static Marsd srv;

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd();
    }

    @AfterAll
    static void stopServer() throws Exception {
        StnLogic.onDestroy();
        srv.close();
    }

    @Test
    void marsStyleCallsRunATask() throws Exception {
        Recorder cb = new Recorder();
        StnLogic.setCallBack(cb);
        StnLogic.setLonglinkSvrAddr(srv.longHost, new int[] {srv.longPort});
        // After the engine exists: recreated with the new version, the address kept.
        StnLogic.setClientVersion(Marsd.CLIENT_VERSION);
        StnLogic.Task t = new StnLogic.Task(StnLogic.Task.ELong, Marsd.CMD_ECHO, null, null);
        StnLogic.startTask(t);
        Recorder.End e = cb.awaitEnd();
        assertEquals(t.taskID, e.taskID());
        assertEquals(StnLogic.ectOK, e.errType(), "errCode " + e.errCode());
        int id = StnLogic.genTaskID();
        assertTrue(id != 0);
        assertTrue(!StnLogic.hasTask(t.taskID));
        StnLogic.onDestroy();
    }
}
