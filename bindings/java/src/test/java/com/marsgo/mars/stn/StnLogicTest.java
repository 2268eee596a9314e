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
        assertTrue(id != 0 && id != t.taskID);
        assertTrue(!StnLogic.hasTask(t.taskID));
        StnLogic.onDestroy();
    }

    @Test
    void taskConstructorAndGenTaskIdNeverHandOutTheSameId() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(new StnLogic.Task().taskID), "Task() repeated an id");
            assertTrue(seen.add(StnLogic.genTaskID()), "genTaskID() repeated a Task() id");
        }
        assertTrue(seen.stream().allMatch(id -> id != 0 && Integer.compareUnsigned(id, 0xFFFFFFF0) < 0));
    }
}
