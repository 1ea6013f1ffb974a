package io.github.pool4j.codec;

import io.github.pool4j.Task;
import io.github.pool4j.TaskSerializationException;
import io.github.pool4j.TaskSerializationException.Subject;
import io.github.pool4j.WorkerInitializer;
import io.github.pool4j.WrappingTask;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a task (or a worker initializer) travels to a worker: as the name of a class implementing
 * the interface plus its JSON state, or as a lambda's implementation method plus its captured
 * values as JSON, taken from the lambda's {@link SerializedLambda}. Java object serialization is
 * never used: {@code SerializedLambda} is obtained reflectively and only its fields are sent.
 *
 * <p>The parent {@linkplain #ship ships} a task, which also checks it can be rebuilt; the worker
 * {@linkplain #load loads} the JSON. The worker instantiates a class only if it implements the
 * expected interface, and otherwise loads only the lambda's implementation class.
 *
 * <p>Thread-safety: immutable.
 */
public final class TaskDefinition {

    /** The interface a shipped object implements. */
    public enum Role {
        /** A {@link Task}: one input, one result. */
        TASK(Task.class, 1),
        /** A {@code WorkerInitializer}: no input, no result. */
        INITIALIZER(WorkerInitializer.class, 0);

        final Class<?> type;
        final int arity;

        Role(Class<?> type, int arity) {
            this.type = type;
            this.arity = arity;
        }
    }

    private final ObjectNode node;
    private final JavaType inputType;
    private final JavaType resultType;

    private TaskDefinition(ObjectNode node, JavaType inputType, JavaType resultType) {
        this.node = node;
        this.inputType = inputType;
        this.resultType = resultType;
    }

    /** Returns the definition as JSON, as it travels. */
    public ObjectNode node() {
        return node;
    }

    /**
     * Returns the type inputs are read as in the worker.
     *
     * @return the input type ({@code Object} for an initializer)
     */
    public JavaType inputType() {
        return inputType;
    }

    /**
     * Returns the type results are read as in the parent.
     *
     * @return the result type
     */
    public JavaType resultType() {
        return resultType;
    }

    // ---- parent side --------------------------------------------------------------------------

    /**
     * Describes {@code task} for a worker and checks the worker could rebuild it.
     *
     * @param task the task or initializer
     * @param role what it is
     * @param inputOverride the input type to use instead of the declared one, or {@code null}
     * @param resultOverride the result type to use instead of the declared one, or {@code null}
     * @param json the parent's mappers
     * @return the definition
     * @throws TaskSerializationException if it cannot be shipped, saying why
     */
    public static TaskDefinition ship(Object task, Role role, Type inputOverride, Type resultOverride, Json json) {
        Class<?> type = task.getClass();
        SerializedLambda lambda = serializedLambda(task);
        // A lambda's class is hidden (X$$Lambda/0x...): messages name what the user wrote instead.
        String name = lambda != null ? nameOf(lambda) : type.getName();
        TaskDefinition definition;
        try {
            definition = lambda != null
                    ? shipLambda(task, lambda, name, role, json)
                    : shipClass(task, type, role, json);
        } catch (JacksonException e) {
            throw refuse(name, "its state cannot be written as JSON: " + ValueModule.describe(e), e);
        }
        ObjectNode node = definition.node;
        JavaType input = inputOverride == null ? definition.inputType : json.types().constructType(inputOverride);
        JavaType result = resultOverride == null ? definition.resultType : json.types().constructType(resultOverride);
        json.allowList().addTold(input);
        json.allowList().addTold(result);
        ArrayNode allowed = node.putArray("allow");
        json.allowList().valueTypeNames().forEach(allowed::add);
        node.put("in", input.toCanonical());
        node.put("out", result.toCanonical());
        // Rebuild it here exactly as the worker will, so a task that cannot travel fails in the caller.
        try {
            load(node, role, json);
        } catch (TaskSerializationException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw refuse(name, "it cannot be rebuilt from JSON: " + e, e);
        }
        return new TaskDefinition(node, input, result);
    }

    private static SerializedLambda serializedLambda(Object task) {
        Class<?> type = task.getClass();
        if (!type.isSynthetic()) {
            return null;
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(task);
            return replaced instanceof SerializedLambda lambda ? lambda : null;
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw refuse(type, "its SerializedLambda cannot be read (" + e + ")", e);
        }
    }

    private static TaskDefinition shipClass(Object task, Class<?> type, Role role, Json json) {
        if (type.isAnonymousClass()) {
            throw refuse(type, "it is an anonymous class, which the worker cannot name;"
                    + " use a lambda, a method reference or a named class", null);
        }
        if (type.isLocalClass()) {
            throw refuse(type, "it is a local class, which may capture its method's variables;"
                    + " use a lambda, a method reference or a top-level or static nested class", null);
        }
        if (type.isSynthetic() || type.isHidden()) {
            throw refuse(type, "it is a hidden or synthetic class that is not a serializable lambda", null);
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw refuse(type, "it is an inner class that holds its enclosing instance; make it static", null);
        }
        PlainData.check(task, type.getName(), type.getName());
        json.allowList().addCodeSourceOf(type);
        ObjectNode node = JsonNodeFactory.instance.objectNode(); // no mapper needed for a tree
        node.put("form", "class");
        node.put("class", type.getName());
        // As JSON text, not a tree: a tree would turn 0.10 into 0.1 and a long into an int.
        node.put("state", json.state().writeValueAsString(task));
        JavaType input = json.types().constructType(Object.class);
        JavaType result = input;
        if (role == Role.TASK) {
            JavaType[] params = json.types().findTypeParameters(json.types().constructType(type), Task.class);
            if (params.length == 2) {
                input = params[0];
                result = params[1];
            }
            // A generic wrapper (TimedTask<T, R>) declares nothing: take the types of the task it wraps.
            if ((input.getRawClass() == Object.class || result.getRawClass() == Object.class)
                    && task instanceof WrappingTask<?, ?> wrapper) {
                TaskDefinition inner = ship(Objects.requireNonNull(wrapper.wrapped(), "wrapped() returned null"),
                        Role.TASK, null, null, json);
                input = input.getRawClass() == Object.class ? inner.inputType : input;
                result = result.getRawClass() == Object.class ? inner.resultType : result;
            }
        }
        return new TaskDefinition(node, input, result);
    }

    private static TaskDefinition shipLambda(Object task, SerializedLambda lambda, String name, Role role, Json json) {
        Class<?> type = task.getClass();
        String iface = lambda.getFunctionalInterfaceClass().replace('/', '.');
        if (!iface.equals(role.type.getName())) {
            throw refuse(name, "it is a lambda of " + iface + ", not of " + role.type.getName(), null);
        }
        Class<?> implClass;
        Executable impl;
        ClassLoader loader = type.getClassLoader();
        try {
            implClass = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            impl = findImpl(implClass, lambda.getImplMethodName(), lambda.getImplMethodSignature());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw refuse(name, "its implementation method cannot be found (" + e + ")", e);
        }
        int refKind = lambda.getImplMethodKind();
        json.allowList().addCodeSourceOf(implClass);
        json.allowList().addCodeSourceOf(type);
        Type[] captureTypes = captureTypes(impl, refKind, lambda.getCapturedArgCount());
        ObjectNode node = JsonNodeFactory.instance.objectNode(); // no mapper needed for a tree
        node.put("form", "lambda");
        node.put("class", implClass.getName());
        node.put("method", lambda.getImplMethodName());
        node.put("sig", lambda.getImplMethodSignature());
        node.put("ref", refKind);
        ArrayNode captures = node.putArray("cap");
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object captured = lambda.getCapturedArg(i);
            boolean receiver = i == 0 && isInstanceKind(refKind);
            String what = (receiver ? "its receiver" : "captured value #" + i)
                    + (captured == null ? "" : " (" + captured.getClass().getName() + ")");
            PlainData.check(captured, what, name);
            // A bound method reference (formatter::format) carries its receiver as the equivalent
            // lambda (i -> formatter.format(i)) carries formatter: by its fields. A lambda body that
            // uses `this` would carry its whole enclosing object, which is rarely meant.
            if (receiver && isLambdaBody(lambda) && captured != null && !(captured instanceof java.io.Serializable)
                    && !captured.getClass().isRecord()) {
                throw refuse(name, "it captures `this`, an instance of " + captured.getClass().getName()
                        + ", which is neither a record nor Serializable; make the lambda static or capture"
                        + " only the values it needs", null);
            }
            try {
                captures.add(json.state().writerFor(json.state().constructType(captureTypes[i])).writeValueAsString(captured));
            } catch (JacksonException e) {
                throw refuse(name, what + " cannot be written as JSON: " + ValueModule.describe(e), e);
            }
        }
        JavaType input = json.types().constructType(Object.class);
        JavaType result = input;
        if (role == Role.TASK) {
            MethodType instantiated;
            try {
                instantiated = MethodType.fromMethodDescriptorString(lambda.getInstantiatedMethodType(), loader);
            } catch (RuntimeException e) {
                throw refuse(name, "its method type cannot be resolved (" + e + ")", e);
            }
            Type declaredInput = inputType(impl, implClass, refKind, lambda.getCapturedArgCount());
            Type declaredResult = impl instanceof Method m ? m.getGenericReturnType() : implClass;
            input = json.types().constructType(pick(declaredInput, instantiated.parameterType(0)));
            result = json.types().constructType(pick(declaredResult, instantiated.returnType()));
        }
        return new TaskDefinition(node, input, result);
    }

    /** Prefers the implementation's generic type unless it hides behind a type variable. */
    private static Type pick(Type declared, Class<?> instantiated) {
        if (declared == void.class || declared == Void.class) {
            return Void.class;
        }
        if (declared instanceof Class<?> c && c.isPrimitive()) {
            return MethodType.methodType(c).wrap().returnType();
        }
        Class<?> raw = rawClass(declared);
        if (hasTypeVariable(declared) || (raw != instantiated && raw.isAssignableFrom(instantiated))) {
            return instantiated.isPrimitive() ? MethodType.methodType(instantiated).wrap().returnType() : instantiated;
        }
        return declared;
    }

    private static boolean hasTypeVariable(Type type) {
        if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
            return true;
        }
        if (type instanceof ParameterizedType p) {
            for (Type argument : p.getActualTypeArguments()) {
                if (hasTypeVariable(argument)) {
                    return true;
                }
            }
        }
        return type instanceof GenericArrayType g && hasTypeVariable(g.getGenericComponentType());
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static TaskSerializationException refuse(Class<?> type, String reason, Throwable cause) {
        return refuse(type.getName(), reason, cause);
    }

    private static TaskSerializationException refuse(String name, String reason, Throwable cause) {
        return new TaskSerializationException(Subject.TASK, TaskSerializationException.NO_INPUT, name, reason, cause);
    }

    /** Tells whether {@code lambda} is a lambda expression (its body compiled to a synthetic method). */
    private static boolean isLambdaBody(SerializedLambda lambda) {
        return lambda.getImplMethodName().startsWith("lambda$");
    }

    /**
     * Names a lambda as the user wrote it: {@code Formatter::format} for a method reference,
     * {@code lambda in Outer.method (Outer.java:42)} for a lambda expression (the line is where it was
     * passed to the pool, when the caller's frame shows it).
     */
    static String nameOf(SerializedLambda lambda) {
        String owner = lambda.getImplClass().replace('/', '.');
        String simple = owner.substring(owner.lastIndexOf('.') + 1).replace('$', '.');
        String method = lambda.getImplMethodName();
        if (!isLambdaBody(lambda)) {
            return "method reference " + simple + "::" + (method.equals("<init>") ? "new" : method);
        }
        // lambda$<enclosing method>$<n>, with a hash before <n> for a serializable lambda; "new" and
        // "static" for constructors and static initializers.
        String enclosing = method.substring("lambda$".length()).replaceFirst("(\\$[0-9a-f]{8})?\\$\\d+$", "");
        String site = callSite(owner);
        return "lambda in " + simple + "." + enclosing + (site == null ? "" : " (" + site + ")");
    }

    /** Returns {@code File.java:line} of the innermost frame of class {@code owner} on this stack, if any. */
    private static String callSite(String owner) {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().equals(owner) && f.getLineNumber() > 0)
                .findFirst()
                .map(f -> f.getFileName() + ":" + f.getLineNumber())
                .orElse(null));
    }

    // ---- both sides ---------------------------------------------------------------------------

    private static boolean isInstanceKind(int refKind) {
        return refKind == MethodHandleInfo.REF_invokeVirtual
                || refKind == MethodHandleInfo.REF_invokeInterface
                || refKind == MethodHandleInfo.REF_invokeSpecial;
    }

    /** The declared types of the captured values, in capture order. */
    private static Type[] captureTypes(Executable impl, int refKind, int captured) {
        Type[] params = impl.getGenericParameterTypes();
        Type[] types = new Type[captured];
        int p = 0;
        for (int i = 0; i < captured; i++) {
            types[i] = i == 0 && isInstanceKind(refKind) ? impl.getDeclaringClass() : params[p++];
        }
        return types;
    }

    private static Type inputType(Executable impl, Class<?> implClass, int refKind, int captured) {
        Type[] params = impl.getGenericParameterTypes();
        if (isInstanceKind(refKind)) {
            return captured == 0 ? implClass : params[captured - 1];
        }
        return params[captured];
    }

    private static Executable findImpl(Class<?> implClass, String name, String signature)
            throws NoSuchMethodException {
        MethodType wanted = MethodType.fromMethodDescriptorString(signature, implClass.getClassLoader());
        if (name.equals("<init>")) {
            return implClass.getDeclaredConstructor(wanted.parameterArray());
        }
        for (Method method : implClass.getDeclaredMethods()) {
            if (method.getName().equals(name)
                    && method.getReturnType() == wanted.returnType()
                    && List.of(method.getParameterTypes()).equals(wanted.parameterList())) {
                return method;
            }
        }
        throw new NoSuchMethodException(implClass.getName() + "." + name + signature);
    }

    // ---- worker side --------------------------------------------------------------------------

    /** A loaded task: applies it to one input, or runs an initializer with {@code null}. */
    @FunctionalInterface
    public interface Invoker {
        /**
         * Runs the task.
         *
         * @param input the input ({@code null} for an initializer)
         * @return the result
         * @throws Throwable whatever the task throws
         */
        Object invoke(Object input) throws Throwable;
    }

    /**
     * A loaded definition: how to run it, what its inputs are and how its results are written.
     *
     * <p>Thread-safety: thread-safe.
     */
    public static final class Loaded {
        private final Invoker invoker;
        private final JavaType inputType;
        private final JavaType resultType;
        private final Json json;
        /** Looked up on first use: plain results never need it, nor the mapper behind it. */
        private ObjectWriter resultWriter;

        /**
         * Creates a loaded definition.
         *
         * @param invoker runs the task
         * @param inputType the declared input type
         * @param resultType the declared result type
         * @param json the mappers that write its results
         */
        public Loaded(Invoker invoker, JavaType inputType, JavaType resultType, Json json) {
            this.invoker = invoker;
            this.inputType = inputType;
            this.resultType = resultType;
            this.json = json;
        }

        /**
         * Returns what runs the task.
         *
         * @return the invoker
         */
        public Invoker invoker() {
            return invoker;
        }

        /**
         * Returns the declared input type.
         *
         * @return the type inputs are read as
         */
        public JavaType inputType() {
            return inputType;
        }

        /**
         * Returns the declared result type.
         *
         * @return the type results are written as
         */
        public JavaType resultType() {
            return resultType;
        }

        /**
         * Returns the writer of results as declared, naming a value's class where the type is erased.
         * The first call builds the mappers if nothing did before.
         *
         * @return the writer, shared and thread-safe
         */
        public ObjectWriter resultWriter() {
            // A racy single check: the writer is immutable and Json caches it, so two threads that
            // both look it up get the same one.
            ObjectWriter writer = resultWriter;
            if (writer == null) {
                writer = json.writer(resultType);
                resultWriter = writer;
            }
            return writer;
        }
    }

    /**
     * Rebuilds a definition: in the worker to run it, in the parent to check it.
     *
     * @param node the definition as JSON
     * @param role what it must implement
     * @param json the mappers
     * @return the invoker and input type
     * @throws TaskSerializationException if the definition names something that is not allowed
     */
    public static Loaded load(JsonNode node, Role role, Json json) {
        return load(new Fields() {
            @Override
            public String text(String name) {
                return node.path(name).asString();
            }

            @Override
            public int number(String name) {
                return node.path(name).asInt();
            }

            @Override
            public List<String> texts(String name) {
                List<String> texts = new ArrayList<>();
                for (JsonNode element : node.path(name)) {
                    texts.add(element.asString());
                }
                return texts;
            }
        }, role, json);
    }

    /**
     * Rebuilds a definition read as plain JSON values (maps, lists, strings, numbers, booleans,
     * {@code null}), as {@link #load(JsonNode, Role, Json)} does: a worker reads its definitions so,
     * since Jackson's value nodes set up {@code BigDecimal} (25-40 ms on JDK 25).
     *
     * @param definition the definition's fields
     * @param role what it must implement
     * @param json the mappers
     * @return the invoker and input type
     * @throws TaskSerializationException if the definition names something that is not allowed
     */
    public static Loaded load(Map<String, ?> definition, Role role, Json json) {
        return load(new Fields() {
            @Override
            public String text(String name) {
                return plainText(definition.get(name));
            }

            @Override
            public int number(String name) {
                return definition.get(name) instanceof Number n ? n.intValue() : 0;
            }

            @Override
            public List<String> texts(String name) {
                List<String> texts = new ArrayList<>();
                if (definition.get(name) instanceof List<?> list) {
                    for (Object element : list) {
                        texts.add(plainText(element));
                    }
                }
                return texts;
            }
        }, role, json);
    }

    /** As {@code JsonNode.asString()} reads a scalar: a container or {@code null} is empty. */
    private static String plainText(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : "";
    }

    /** The fields of a definition, whichever way it was read. */
    private interface Fields {
        /** The field as text, empty if absent. */
        String text(String name);

        /** The field as an int, 0 if absent. */
        int number(String name);

        /** The field's elements as text, none if absent. */
        List<String> texts(String name);
    }

    private static Loaded load(Fields node, Role role, Json json) {
        String className = node.text("class");
        JavaType input = role == Role.TASK
                ? json.types().constructFromCanonical(node.text("in"))
                : json.types().constructType(Object.class);
        JavaType result = role == Role.TASK
                ? json.types().constructFromCanonical(node.text("out"))
                : json.types().constructType(Object.class);
        json.allowList().addTold(input);
        json.allowList().addTold(result);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            // The classes the pool's builder allowed: the parent names them, the worker loads them
            // (without initialising them) to compare with the classes that values name.
            for (String allowed : node.texts("allow")) {
                json.allowList().addValueType(Class.forName(allowed, false, loader));
            }
            if ("class".equals(node.text("form"))) {
                Class<?> type = Class.forName(className, false, loader);
                if (!role.type.isAssignableFrom(type)) {
                    throw new TaskSerializationException(Subject.TASK, TaskSerializationException.NO_INPUT,
                            className, "it does not implement " + role.type.getName(), null);
                }
                json.allowList().addCodeSourceOf(type);
                Object task = json.state().readValue(node.text("state"), type);
                return new Loaded(invokerOf(task, role), input, result, json);
            }
            Class<?> implClass = Class.forName(className, true, loader);
            json.allowList().addCodeSourceOf(implClass);
            int refKind = node.number("ref");
            Executable impl = findImpl(implClass, node.text("method"), node.text("sig"));
            List<String> captures = node.texts("cap");
            Type[] types = captureTypes(impl, refKind, captures.size());
            Object[] values = new Object[captures.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = json.state().readerFor(json.state().constructType(types[i])).readValue(captures.get(i));
            }
            return new Loaded(invokerOf(impl, refKind, values, role), input, result, json);
        } catch (ReflectiveOperationException e) {
            throw new TaskSerializationException(Subject.TASK, TaskSerializationException.NO_INPUT, className,
                    "it cannot be loaded (" + e + ")", e);
        }
    }

    private static Invoker invokerOf(Object task, Role role) {
        if (role == Role.TASK) {
            @SuppressWarnings("unchecked")
            Task<Object, Object> typed = (Task<Object, Object>) task;
            return typed::apply;
        }
        MethodHandle run;
        try {
            Method method = role.type.getMethod("run");
            run = MethodHandles.publicLookup().unreflect(method).bindTo(task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return ignored -> {
            run.invoke();
            return null;
        };
    }

    private static Invoker invokerOf(Executable impl, int refKind, Object[] captured, Role role)
            throws IllegalAccessException {
        impl.setAccessible(true);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle handle = impl instanceof Constructor<?> c ? lookup.unreflectConstructor(c)
                : lookup.unreflect((Method) impl);
        if (captured.length > 0) {
            handle = MethodHandles.insertArguments(handle, 0, captured);
        }
        if (handle.type().parameterCount() != role.arity) {
            throw new IllegalArgumentException("implementation " + impl + " takes "
                    + handle.type().parameterCount() + " arguments after captures, expected " + role.arity);
        }
        if (role.arity == 0) {
            MethodHandle run = handle.asType(MethodType.methodType(Object.class));
            return ignored -> (Object) run.invokeExact();
        }
        Invoker direct = directInvoker(impl, captured);
        if (direct != null) {
            return direct;
        }
        MethodHandle apply = handle.asType(MethodType.methodType(Object.class, Object.class));
        return input -> (Object) apply.invokeExact(input);
    }

    /**
     * Spins an {@link Invoker} that calls {@code impl} directly, as the compiler's own lambda
     * would: unlike a call through a method handle held in a field, the JIT can inline it into
     * the worker's loop (for trivial tasks that is a third of the worker's time). Returns
     * {@code null} where the lambda metafactory declines (an implementation it cannot adapt to
     * {@code Object invoke(Object)}); the caller then uses a method handle.
     */
    private static Invoker directInvoker(Executable impl, Object[] captured) {
        // One spun class per implementation, not per load: a worker loads a definition for every
        // call of map, and each spun class stays as long as the class loader of its host.
        Optional<MethodHandle> factory = INVOKER_FACTORIES.computeIfAbsent(impl, TaskDefinition::invokerFactory);
        if (factory.isEmpty() || factory.get().type().parameterCount() != captured.length) {
            return null;
        }
        try {
            return (Invoker) factory.get().invokeWithArguments(captured);
        } catch (Throwable e) {
            return null;
        }
    }

    private static final java.util.concurrent.ConcurrentMap<Executable, Optional<MethodHandle>> INVOKER_FACTORIES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Returns a factory taking the captured values and returning an {@link Invoker}, if the metafactory agrees. */
    private static Optional<MethodHandle> invokerFactory(Executable impl) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(impl.getDeclaringClass(), MethodHandles.lookup());
            MethodHandle target = impl instanceof Constructor<?> c ? lookup.unreflectConstructor(c)
                    : lookup.unreflect((Method) impl);
            MethodType implType = target.type();
            if (implType.parameterCount() == 0) {
                return Optional.empty();
            }
            int inputAt = implType.parameterCount() - 1;
            MethodType capturedTypes = implType.dropParameterTypes(inputAt, inputAt + 1).changeReturnType(Invoker.class);
            // What the invoker's erased (Object)Object is specialised to: the implementation's input
            // type, boxed; its result boxed into Object.
            MethodType instantiated = MethodType.methodType(Object.class, implType.parameterType(inputAt).isPrimitive()
                    ? implType.wrap().parameterType(inputAt) : implType.parameterType(inputAt));
            java.lang.invoke.CallSite site = java.lang.invoke.LambdaMetafactory.metafactory(lookup, "invoke",
                    capturedTypes, MethodType.methodType(Object.class, Object.class), target, instantiated);
            return Optional.of(site.getTarget());
        } catch (Throwable e) {
            return Optional.empty();
        }
    }
}
