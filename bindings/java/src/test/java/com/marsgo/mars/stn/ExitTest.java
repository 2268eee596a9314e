package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Marsd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Library threads attached to the JVM must not keep it from exiting. */
class ExitTest {
    @Test
    void jvmExitsWithALiveEngine() throws Exception {
        try (Marsd srv = new Marsd()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process p = new ProcessBuilder(List.of(java, "-cp", cp, ExitMain.class.getName(), srv.longHost,
                    String.valueOf(srv.longPort), String.valueOf(Marsd.CLIENT_VERSION))).redirectErrorStream(true).start();
            boolean exited = p.waitFor(30, TimeUnit.SECONDS);
            if (!exited) p.destroyForcibly().waitFor();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(exited, "the JVM did not exit: " + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("ended 0"), out);
        }
    }
}
