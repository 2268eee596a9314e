package com.marsgo.mars.sdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.MarsException;
import com.marsgo.mars.Marsd;
import org.junit.jupiter.api.Test;

/** Network diagnosis through the binding, against marsd. */
class SdtTest {
    @Test
    void tcpAndLongLinkChecksPassAgainstMarsd() throws Exception {
        try (Marsd srv = new Marsd()) {
            String req = "{\"servers\":[\"" + srv.longHost + ":" + srv.longPort + "\"],\"checks\":"
                    + (Sdt.CHECK_TCP | Sdt.CHECK_LONGLINK) + ",\"timeout_ms\":5000}";
            String report = Sdt.check(req, Marsd.CLIENT_VERSION);
            String target = "\"target\":\"" + srv.longHost + ":" + srv.longPort + "\",\"ok\":true";
            assertTrue(report.contains("{\"kind\":\"tcp\"," + target), report);
            assertTrue(report.contains("{\"kind\":\"longlink\"," + target), report);
            assertTrue(report.contains("],\"ok\":true"), "the whole check passed: " + report);
        }
    }

    @Test
    void malformedRequestIsEinvalWithDetail() {
        MarsException e = assertThrows(MarsException.class, () -> Sdt.check("{\"no_such_field\":1}", 0));
        assertEquals(MarsException.EINVAL, e.code);
        assertTrue(e.getMessage().contains("no_such_field"), e.getMessage());
        assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> Sdt.check(null, 0)).code);
    }
}
