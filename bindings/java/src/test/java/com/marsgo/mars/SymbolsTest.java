package com.marsgo.mars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The glue binds to mars.h and nothing else, and exports only JNI_OnLoad. */
class SymbolsTest {
    static Set<String> nm(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nm", "-D"));
        cmd.addAll(List.of(args));
        cmd.add(Path.of(System.getProperty("mars.jni.dir"), "libmarsjni.so").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Set<String> names = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2) names.add(f[f.length - 1].replaceAll("@.*", ""));
        }
        return names;
    }

    static Set<String> headerFunctions() throws IOException {
        String h = Files.readString(Path.of(System.getProperty("mars.header")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\b(mars_[a-z0-9_]+)\\s*\\(").matcher(h);
        Set<String> names = new TreeSet<>();
        while (m.find()) names.add(m.group(1));
        return names;
    }

    @Test
    void everyMarsSymbolUsedIsDeclaredInTheHeader() throws Exception {
        Set<String> declared = headerFunctions();
        assertTrue(declared.size() > 30, declared.toString());
        Set<String> used = new TreeSet<>();
        for (String s : nm("--undefined-only")) {
            if (s.startsWith("mars") || s.startsWith("_cgo") || s.startsWith("Mars")) used.add(s);
        }
        assertFalse(used.isEmpty());
        Set<String> undeclared = new TreeSet<>(used);
        undeclared.removeAll(declared);
        assertTrue(undeclared.isEmpty(), "bound but not in mars.h: " + undeclared);
    }

    @Test
    void glueExportsOnlyJniOnLoad() throws Exception {
        Set<String> exported = nm("--defined-only");
        exported.removeIf(s -> s.startsWith("_") && !s.startsWith("_cgo"));
        assertEquals(Set.of("JNI_OnLoad"), exported);
    }
}
