package io.github.pool4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultListTest {

    /** A call's outcome array as chunks leave it: values, a null one as the sentinel. */
    private static Object[] outcomes(Object... values) {
        Object[] stored = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            stored[i] = Chunk.stored(values[i]);
        }
        return stored;
    }

    @Test
    void behavesAsAnArrayListOfTheSameValues() {
        List<Object> list = new ResultList(outcomes("a", null, "c"));
        List<Object> expected = new ArrayList<>(Arrays.asList("a", null, "c"));
        assertEquals(expected, list);
        assertEquals(expected.hashCode(), list.hashCode());
        assertEquals("[a, null, c]", list.toString());
        assertNull(list.get(1));
        assertEquals(List.of("a", "c"), list.stream().filter(java.util.Objects::nonNull).toList());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));

        assertEquals("a", list.set(0, null));
        assertNull(list.set(1, "b"));
        list.add("d");
        list.add(0, "first");
        assertEquals("first", list.remove(0));
        list.removeIf("d"::equals);
        list.sort(java.util.Comparator.nullsFirst(java.util.Comparator.comparing(Object::toString)));
        assertEquals(Arrays.asList(null, "b", "c"), list);
        Iterator<Object> it = list.iterator();
        it.next();
        list.add("e");
        assertThrows(java.util.ConcurrentModificationException.class, it::next);
        list.clear();
        assertEquals(List.of(), list);
        for (int i = 0; i < 100; i++) {
            list.add(i);
        }
        assertEquals(100, list.size());
        assertEquals(99, list.get(99));
    }

    @Test
    void neverLeavesASlotOfTheCallsArrayEmpty() {
        Object[] shared = outcomes(1, 2, 3);
        List<Object> list = new ResultList(shared);
        list.set(1, null);
        assertFalse(Arrays.asList(shared).contains(null), "a null result must not read as a pending input");
        list.remove(0); // the list moves to an array of its own
        assertEquals(Arrays.asList(null, 3), list);
        assertEquals(3, Chunk.valueOf(shared[2]));
        assertFalse(Arrays.asList(shared).contains(null));
    }

    @Test
    void serializesAsAnArrayList() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ResultList(outcomes("a", null)));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            ArrayList<?> back = assertInstanceOf(ArrayList.class, in.readObject());
            assertEquals(Arrays.asList("a", null), back);
        }
    }
}
