package com.marsgo.mars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example compiles and does what it says, against marsd. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleRuns() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("mars.readme", "README.md")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has a java block");
        Path src = dir.resolve("Hello.java");
        Files.writeString(src, m.group(1), StandardCharsets.UTF_8);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK is needed");
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), "-cp", cp, src.toString()), "compiles");

        try (Marsd srv = new Marsd()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "-cp", dir + File.pathSeparator + cp, "Hello",
                    String.valueOf(srv.longPort), dir.resolve("logs").toString())).redirectErrorStream(true).start();
            boolean exited = p.waitFor(30, TimeUnit.SECONDS);
            if (!exited) p.destroyForcibly().waitFor();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(exited, out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("answer: hello marsd"), out);
            assertTrue(out.contains("ended (0, 0)"), out);
            assertTrue(out.contains("refused: code 1"), out);
        }
    }
}
