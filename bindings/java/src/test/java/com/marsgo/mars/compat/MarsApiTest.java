package com.marsgo.mars.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every declaration of Mars's Android Java API (resources/mars-java-api.tsv) exists
 * here with the same kind, modifiers, signature and value, so a Mars app compiles
 * after its imports change.
 */
class MarsApiTest {
    record Line(int no, String[] f) {
        String at() {
            return "mars-java-api.tsv:" + no + " " + String.join(" ", f);
        }
    }

    static List<Line> listing() throws Exception {
        try (InputStream in = MarsApiTest.class.getResourceAsStream("/mars-java-api.tsv")) {
            String[] rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Line> out = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].isEmpty() || rows[i].startsWith("#")) continue;
                out.add(new Line(i + 1, rows[i].split("\t", -1)));
            }
            return out;
        }
    }

    static Class<?> load(String name) throws ClassNotFoundException {
        return Class.forName(name, false, MarsApiTest.class.getClassLoader());
    }

    static String types(Type[] ts) {
        return Arrays.stream(ts).map(Type::getTypeName).collect(Collectors.joining(";"));
    }

    static void visibility(String want, int mods, Line l) {
        boolean pub = Modifier.isPublic(mods);
        assertEquals(want.equals("public"), pub, "visibility: " + l.at());
        if (!pub) assertFalse(Modifier.isPrivate(mods), "private: " + l.at());
    }

    @Test
    void everyDeclarationExistsWithItsSignatureAndValue() throws Exception {
        List<Line> lines = listing();
        assertTrue(lines.size() > 300, "the listing is read (" + lines.size() + " lines)");
        List<String> failures = new ArrayList<>();
        for (Line l : lines) {
            try {
                check(l);
            } catch (Throwable e) {
                failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " declarations differ:\n" + String.join("\n", failures));
    }

    static void check(Line l) throws Exception {
        String[] f = l.f();
        switch (f[0]) {
            case "type" -> {
                Class<?> c = load(f[1]);
                assertEquals(f[2].equals("interface"), c.isInterface(), "kind: " + l.at());
                visibility(f[3], c.getModifiers(), l);
                if (c.getEnclosingClass() != null) {
                    assertTrue(Modifier.isStatic(c.getModifiers()), "nested static: " + l.at());
                }
            }
            case "implements" -> assertTrue(load(f[2]).isAssignableFrom(load(f[1])), l.at());
            case "field" -> {
                Field fd = load(f[1]).getDeclaredField(f[6]);
                int m = fd.getModifiers();
                visibility(f[2], m, l);
                assertEquals(f[3].equals("static"), Modifier.isStatic(m), "static: " + l.at());
                assertEquals(f[4].equals("final"), Modifier.isFinal(m), "final: " + l.at());
                assertEquals(f[5], fd.getGenericType().getTypeName(), "type: " + l.at());
                if (!f[7].isEmpty() && (Modifier.isStatic(m) || hasNoArgConstructor(fd.getDeclaringClass()))) assertEquals(f[7], literal(initialValue(fd)), "value: " + l.at());
            }
            case "method" -> {
                Class<?> c = load(f[1]);
                Method md = find(c.getMethods(), f[5], f[6], l);
                int m = md.getModifiers();
                visibility(f[2], m, l);
                assertEquals(f[3].equals("static"), Modifier.isStatic(m), "static: " + l.at());
                assertEquals(f[4], md.getGenericReturnType().getTypeName(), "return: " + l.at());
                assertEquals(f[7].equals("varargs"), md.isVarArgs(), "varargs: " + l.at());
            }
            case "ctor" -> {
                Constructor<?> k = find(load(f[1]).getConstructors(), "<init>", f[2], l);
                assertTrue(Modifier.isPublic(k.getModifiers()), l.at());
            }
            case "android" -> absentOnJvm(l);
            default -> fail("unknown kind: " + l.at());
        }
    }

    static <T extends Executable> T find(T[] all, String name, String params, Line l) {
        for (T e : all) {
            String n = e instanceof Constructor ? "<init>" : ((Member) e).getName();
            if (n.equals(name) && types(e.getGenericParameterTypes()).equals(params)) return e;
        }
        throw new AssertionError("missing: " + l.at());
    }

    /** A declaration that needs android.* types is absent from the JVM jar (see the README's substitutes). */
    static void absentOnJvm(Line l) throws Exception {
        String[] f = l.f();
        switch (f[1]) {
            case "type" -> assertThrowsClassNotFound(f[2], l);
            case "member" -> assertThrowsClassNotFound(f[2], l);
            case "field" -> assertTrue(Arrays.stream(load(f[2]).getFields()).noneMatch(x -> x.getName().equals(f[3])),
                    l.at());
            case "method" -> assertTrue(Arrays.stream(load(f[2]).getMethods()).noneMatch(x -> x.getName().equals(f[3])
                    && x.getParameterCount() == f[4].split(";").length), l.at());
            default -> fail("unknown android kind: " + l.at());
        }
    }

    static void assertThrowsClassNotFound(String name, Line l) {
        try {
            load(name);
            fail("present on the JVM: " + l.at());
        } catch (ClassNotFoundException expected) {
            // absent, as documented
        }
    }

    /**
     * A static field's value, or an instance field's value in an object made with
     * the public no-argument constructor (the listing's initialiser).
     */
    static Object initialValue(Field fd) throws Exception {
        fd.setAccessible(true);
        if (Modifier.isStatic(fd.getModifiers())) return fd.get(null); // runs the static initialiser
        Class<?> c = fd.getDeclaringClass();
        Constructor<?> k = c.getDeclaredConstructor();
        k.setAccessible(true);
        return fd.get(k.newInstance());
    }

    /** Without one (Mars's DeviceInfo) a field's initialiser cannot be seen apart from the constructor's. */
    static boolean hasNoArgConstructor(Class<?> c) {
        return Arrays.stream(c.getDeclaredConstructors()).anyMatch(k -> k.getParameterCount() == 0);
    }

    static String literal(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "\"" + s + "\"";
        return String.valueOf(v);
    }
}
