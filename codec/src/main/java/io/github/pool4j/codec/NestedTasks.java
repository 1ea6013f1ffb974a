package io.github.pool4j.codec;

import io.github.pool4j.Task;
import io.github.pool4j.codec.TaskDefinition.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.ValueSerializerModifier;

/**
 * Lets a task's state hold other tasks, as a decorator such as {@code Timed.task(name, task)}
 * does: a {@link Task}-typed field travels as a nested task definition (a lambda by reference, a
 * class by its state) and is rebuilt in the worker the same way as a top-level task.
 */
final class NestedTasks {

    private NestedTasks() {}

    static SimpleModule module(Supplier<Json> json) {
        SimpleModule module = new SimpleModule("pool4j-nested-tasks");
        ValueSerializer<Object> serializer = new ValueSerializer<>() {
            @Override
            public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeTree(TaskDefinition.ship(value, Role.TASK, null, null, json.get()).node());
            }
        };
        module.setSerializerModifier(new ValueSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config,
                    BeanDescription.Supplier beanDesc, List<BeanPropertyWriter> properties) {
                List<BeanPropertyWriter> changed = new ArrayList<>(properties);
                for (BeanPropertyWriter property : changed) {
                    if (Task.class.isAssignableFrom(property.getType().getRawClass())) {
                        property.assignSerializer(serializer);
                    }
                }
                return changed;
            }
        });
        @SuppressWarnings({"unchecked", "rawtypes"})
        ValueDeserializer<Task> deserializer = new ValueDeserializer<>() {
            @Override
            public Task deserialize(JsonParser p, DeserializationContext ctxt) {
                JsonNode node = ctxt.readTree(p);
                return new Nested(TaskDefinition.load(node, Role.TASK, json.get()).invoker());
            }
        };
        module.addDeserializer(Task.class, deserializer);
        return module;
    }

    /** A task rebuilt from a nested definition. */
    static final class Nested implements Task<Object, Object> {
        private static final long serialVersionUID = 1L;
        private final transient TaskDefinition.Invoker invoker;

        Nested(TaskDefinition.Invoker invoker) {
            this.invoker = invoker;
        }

        @Override
        public Object apply(Object input) throws Exception {
            try {
                return invoker.invoke(input);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
