package com.marsgo.mars;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (META-INF/services, autodetection on): skips them
 * all, with the reason, when no native library can be loaded because
 * build-native.sh could not build one (no Go, gcc or JDK headers) and none is
 * named through mars.jni.library.
 */
public class NativeCondition implements ExecutionCondition {
    static boolean nativeAvailable() {
        String path = System.getProperty("mars.jni.library");
        if (path != null && !path.isEmpty()) return true;
        String platform = NativeLoader.platform();
        return platform != null
                && NativeLoader.class.getResource(NativeLoader.RESOURCE_DIR + platform + "/libmarsjni.so") != null;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (nativeAvailable()) return ConditionEvaluationResult.enabled("native libraries present");
        return ConditionEvaluationResult.disabled(
                "libmarsjni was not built (build-native.sh printed why: Go, gcc or a JDK missing): native test skipped");
    }
}
