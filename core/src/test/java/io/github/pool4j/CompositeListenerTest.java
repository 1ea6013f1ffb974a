package io.github.pool4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeListenerTest {

    @Test
    void of_tellsEveryListenerInOrder_evenAfterOneThrows() {
        List<String> heard = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        PoolListener angry = new PoolListener() {
            @Override
            public void onProgress(long callId, long done, long total) {
                heard.add("angry " + done);
                throw boom;
            }
        };
        PoolListener calm = new PoolListener() {
            @Override
            public void onProgress(long callId, long done, long total) {
                heard.add("calm " + done);
            }

            @Override
            public void onCallEnded(long callId, long failed) {
                heard.add("calm end " + failed);
            }
        };
        PoolListener both = PoolListener.of(angry, calm);
        assertSame(boom, assertThrows(IllegalStateException.class, () -> both.onProgress(1, 2, 3)));
        both.onCallEnded(1, 0);
        assertEquals(List.of("angry 2", "calm 2", "calm end 0"), heard);
    }

    @Test
    void of_withAPool_bothListenersSeeTheCall() {
        List<String> heard = new ArrayList<>();
        PoolListener first = new PoolListener() {
            @Override
            public void onCallStarted(long callId, String operation, long total) {
                heard.add("first " + operation);
            }
        };
        PoolListener second = new PoolListener() {
            @Override
            public void onCallStarted(long callId, String operation, long total) {
                heard.add("second " + operation);
            }
        };
        try (Pool<Integer, Integer> pool = SerialPool.builder().listener(PoolListener.of(first, second)).build()) {
            pool.map(x -> x, List.of(1));
        }
        assertEquals(List.of("first map", "second map"), heard);
    }

    @Test
    void of_refusesNulls() {
        assertThrows(NullPointerException.class, () -> PoolListener.of(PoolListener.NONE, null));
    }

    @Test
    void of_forwardsEveryEventOfTheInterface() throws NoSuchMethodException {
        for (java.lang.reflect.Method method : PoolListener.class.getMethods()) {
            if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                assertEquals(CompositeListener.class,
                        CompositeListener.class.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass(),
                        method.getName() + " is not forwarded");
            }
        }
        List<java.time.Duration> heard = new ArrayList<>();
        PoolListener timer = new PoolListener() {
            @Override
            public void onTaskFinished(long callId, java.time.Duration duration) {
                heard.add(duration);
            }
        };
        PoolListener.of(PoolListener.NONE, timer).onTaskFinished(1, java.time.Duration.ofMillis(3));
        assertEquals(List.of(java.time.Duration.ofMillis(3)), heard);
    }
}
