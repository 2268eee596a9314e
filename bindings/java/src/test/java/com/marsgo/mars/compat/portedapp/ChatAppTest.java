package com.marsgo.mars.compat.portedapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Marsd;
import com.marsgo.mars.stn.StnLogic;
import com.marsgo.mars.xlog.Xlog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ChatApp, written against Mars's Java API, runs on this library unchanged except
 * for its imports: against marsd a task ends well, its push arrives, and the log
 * line it wrote decodes.
 */
class ChatAppTest {
    @TempDir
    Path dir;

    @Test
    void marsShapedAppTalksToMarsdAndLogs() throws Exception {
        ChatApp app = new ChatApp(dir.toString());
        Path logs = dir.resolve("log");
        try (Marsd srv = new Marsd()) {
            // The client version (200, marsd's) comes from AppLogic's callback.
            app.start(logs.toString(), srv.longHost, srv.longPort, srv.shortPort);
            app.send(Marsd.CMD_PUSH_ECHO, "hello from a Mars app");
            Set<String> seen = new HashSet<>();
            while (seen.size() < 2) {
                String e = app.events.poll(30, TimeUnit.SECONDS);
                assertTrue(e != null, "events so far: " + seen);
                seen.add(e);
            }
            assertEquals(Set.of("push " + Marsd.CMD_PUSH,
                    "end " + StnLogic.ectOK + " 0 channel " + StnLogic.Task.ELong), seen);
        } finally {
            app.stop();
            StnLogic.setCallBack(null);
        }
        Path file;
        try (Stream<Path> s = Files.list(logs)) {
            file = s.filter(f -> f.toString().endsWith(".xlog")).findFirst().orElseThrow();
        }
        String text = Xlog.decode(file.toString(), null);
        assertTrue(text.contains("chat started, client version 200"), text);
        assertTrue(text.contains("push cmd " + Marsd.CMD_PUSH + ": "), text);
    }
}
