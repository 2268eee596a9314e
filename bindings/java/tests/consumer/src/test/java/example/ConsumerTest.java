package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marsgo.mars.Mars;
import com.marsgo.mars.MarsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The installed jar alone: it carries and loads its native libraries. */
class ConsumerTest {
    @Test
    void loadsTheLibrariesTheJarCarries() {
        assertEquals(System.getProperty("mars.expected.version"), Mars.version());
        assertEquals("bundled linux-x86_64", Mars.loadedFrom());
        String path = System.getProperty("java.library.path", "");
        assertFalse(path.contains("mars"), "java.library.path names a mars folder: " + path);
        assertTrue(System.getProperty("mars.jni.library", "").isEmpty());
    }

    @Test
    void leavesNoExtractedFilesBehind() throws Exception {
        // java.io.tmpdir is this project's target folder (pom.xml), seen by no other run.
        Mars.version();
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(dirs.anyMatch(p -> p.getFileName().toString().startsWith("mars-native-")
                    && Files.exists(p.resolve("libmarsjni.so"))));
        }
    }

    @Test
    void theLibraryAnswers() {
        assertEquals("bad handle", Mars.errstr(MarsException.EBADHANDLE));
    }
}
