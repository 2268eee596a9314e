package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Marsd;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** StnLogic's static long-link calls on the default engine, and their survival of its recreation. */
class StnLogicLongLinksTest {
    static Marsd srv;

    @BeforeAll
    static void startServer() throws Exception {
        srv = new Marsd(LongLinksTest.SECOND);
    }

    @AfterAll
    static void stopServer() {
        StnLogic.onDestroy();
        srv.close();
    }

    @Test
    void linksSurviveTheDefaultEnginesRecreation() throws Exception {
        Recorder cb = new Recorder();
        StnLogic.setCallBack(cb);
        StnLogic.setClientVersion(Marsd.CLIENT_VERSION);
        StnLogic.setLonglinkSvrAddr(srv.longHost, new int[] {srv.longPort});
        String second = LongLinksTest.SECOND;
        // The link frames with marsd's version itself, so it works whatever the engine's version.
        StnLogic.createLonglink(LongLinkConfig.builder(second).host(srv.longHost)
                .ports(srv.extraPorts.get(second)).clientVersion(Marsd.CLIENT_VERSION).build());
        StnLogic.markMainLonglink(second);
        try {
            StnLogic.setClientVersion(Marsd.CLIENT_VERSION + 1); // recreates the default engine
            assertEquals(List.of(Stn.DEFAULT_LONGLINK, second), StnLogic.getAllLonglink());
            assertEquals(second, StnLogic.getMainLonglink(), "the main mark is kept too");
            StnLogic.Task t = new StnLogic.Task(StnLogic.Task.ELong, Marsd.CMD_ECHO, null, null);
            StnLogic.startTask(t); // no channel name: the main link, "second"
            Recorder.End e = cb.awaitEnd();
            assertEquals(StnLogic.ectOK, e.errType(), "errCode " + e.errCode());
            assertTrue(StnLogic.longLinkIsConnected(second));
            StnLogic.makesureLongLinkConnected(second);
        } finally {
            StnLogic.markMainLonglink(Stn.DEFAULT_LONGLINK);
            StnLogic.destroyLonglink(second);
            StnLogic.setClientVersion(Marsd.CLIENT_VERSION);
        }
        assertEquals(List.of(Stn.DEFAULT_LONGLINK), StnLogic.getAllLonglink());
    }
}
