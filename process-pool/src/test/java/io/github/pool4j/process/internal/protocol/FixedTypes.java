package io.github.pool4j.process.internal.protocol;

import tools.jackson.databind.JavaType;

/** The declared types a frame's values are read as in the protocol tests: the same for every call and task. */
final class FixedTypes implements Wire.Types {

    private final JavaType result;
    private final JavaType input;

    private FixedTypes(JavaType result, JavaType input) {
        this.result = result;
        this.input = input;
    }

    /** Results read as {@code result}, inputs as {@code input}; null stands for an unknown call or task. */
    static Wire.Types of(JavaType result, JavaType input) {
        return new FixedTypes(result, input);
    }

    @Override
    public JavaType resultType(long id) {
        return result;
    }

    @Override
    public JavaType inputType(long task) {
        return input;
    }
}
