package com.marsgo.mars.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.MarsException;
import com.marsgo.mars.xlog.XLogConfig;
import com.marsgo.mars.xlog.Xlog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The string table every binding is tested with (NUL, emoji, unpaired
 * surrogate, 1 MiB, empty, null) through log text, config strings and task
 * cgi/hosts/headers. The rule: standard UTF-8; an unpaired surrogate becomes
 * U+FFFD; a NUL becomes U+2400 in log text and is refused (EINVAL) anywhere else.
 */
class TextTest {
    static final String NUL = "a\u0000b";
    static final String EMOJI = "t\uD83D\uDE00g"; // t😀g
    static final String SURROGATE = "x\uD800y";
    static final String MIB = "m".repeat(1 << 20);

    @TempDir
    Path dir;

    Xlog open(String prefix) {
        XLogConfig c = new XLogConfig();
        c.logdir = dir.resolve("log").toString();
        c.nameprefix = prefix;
        c.mode = Xlog.AppednerModeSync;
        return Xlog.open(c);
    }

    String decoded() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            Path f = s.filter(p -> p.toString().endsWith(".xlog")).findFirst().orElseThrow();
            return Xlog.decode(f.toString(), null);
        }
    }

    @Test
    void logTextKeepsEveryCharacter() throws IOException {
        Xlog.Stats st;
        try (Xlog x = open("text")) {
            x.write(Xlog.LEVEL_INFO, "tag-" + NUL, "msg-" + NUL);
            x.write(Xlog.LEVEL_INFO, "tag-" + EMOJI, "msg-" + EMOJI);
            x.write(Xlog.LEVEL_INFO, "tag-" + SURROGATE, "msg-" + SURROGATE);
            x.write(0, Xlog.LEVEL_INFO, "file-tag", "F" + EMOJI + ".java", "fn" + NUL, 7, "where");
            x.write(Xlog.LEVEL_INFO, "", "");
            x.write(Xlog.LEVEL_INFO, null, null);
            x.write(Xlog.LEVEL_INFO, "big", MIB);
            st = x.getStats(0);
        }
        String t = decoded();
        assertTrue(t.contains("[tag-a\u2400b]") && t.contains("msg-a\u2400b"), "NUL shows as U+2400, nothing lost: " + t);
        assertTrue(t.contains("[tag-" + EMOJI + "]") && t.contains("msg-" + EMOJI), "emoji as UTF-8");
        assertTrue(t.contains("[tag-x\uFFFDy]") && t.contains("msg-x\uFFFDy"), "unpaired surrogate as U+FFFD");
        assertTrue(t.contains("[F" + EMOJI + ".java:7, fna\u2400b]"), "file and function too");
        assertEquals(1, st.linesTruncated, "the 1 MiB message is cut once");
        Matcher m = Pattern.compile("(m+)…\\[truncated (\\d+) bytes\\]\n").matcher(t);
        assertTrue(m.find(), "the cut line is marked");
        assertEquals(MIB.length(), m.group(1).length() + Long.parseLong(m.group(2)), "N counts what was left out");
        for (String line : t.split("\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length < Xlog.MAX_LINE, "no line over MAX_LINE");
        }
    }

    @Test
    void maxLineMatchesTheHeader() throws IOException {
        String h = Files.readString(Path.of(System.getProperty("mars.header")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("#define MARS_XLOG_MAX_LINE (\\d+)").matcher(h);
        assertTrue(m.find());
        assertEquals(Integer.parseInt(m.group(1)), Xlog.MAX_LINE);
    }

    @Test
    void configStrings() throws IOException {
        MarsException e = assertThrows(MarsException.class, () -> open(NUL));
        assertEquals(MarsException.EINVAL, e.code(), "a NUL in a config string is refused, not cut");
        for (String prefix : new String[] {EMOJI, SURROGATE}) {
            open(prefix).close();
        }
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith(EMOJI + "_")), "emoji prefix as UTF-8: " + names);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("x\uFFFDy_")), "surrogate as U+FFFD: " + names);
        }
        for (String host : new String[] {EMOJI, SURROGATE, MIB, "", null}) {
            stn(host).close();
        }
        e = assertThrows(MarsException.class, () -> stn(NUL));
        assertEquals(MarsException.EINVAL, e.code());
    }

    static Stn stn(String host) {
        Stn.Config cfg = new Stn.Config();
        cfg.longlinkHost = host;
        cfg.networkLabel = host;
        return new Stn(cfg, new Recorder());
    }

    static StnLogic.Task task(String cgi, String host, String header) {
        ArrayList<String> hosts = new ArrayList<>();
        hosts.add(host);
        StnLogic.Task t = new StnLogic.Task(StnLogic.SHORTLINK, 0, cgi, hosts);
        Map<String, String> h = new HashMap<>();
        h.put("X-" + (header == null ? "" : header.replace("\u0000", "0").length()), header);
        t.headers = h;
        return t;
    }

    @Test
    void taskStrings() {
        try (Stn s = stn("127.0.0.1")) {
            for (String v : new String[] {EMOJI, SURROGATE, MIB, ""}) {
                int id = s.startTask(task("/" + v, "h" + v, v));
                s.stopTask(id);
            }
            for (StnLogic.Task bad : new StnLogic.Task[] {task(NUL, "h", "v"), task("/c", NUL, "v"), task("/c", "h", NUL)}) {
                MarsException e = assertThrows(MarsException.class, () -> s.startTask(bad));
                assertEquals(MarsException.EINVAL, e.code(), "a NUL in a task string is refused, not cut");
            }
            Map<String, String> h = new HashMap<>();
            h.put("X-" + NUL, "v");
            StnLogic.Task t = task("/c", "h", "v");
            t.headers = h;
            assertEquals(MarsException.EINVAL, assertThrows(MarsException.class, () -> s.startTask(t)).code());
        }
    }
}
