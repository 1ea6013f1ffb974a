package io.github.pool4j.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lists kept as one primitive array behave, travel and serialize as the ArrayList they stand for. */
class NumberListsTest {

    private final Json json = new Json(1 << 24);

    @Test
    void intList_behavesAsAnArrayList_underRandomEditsAndNulls() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int[] start = random.ints(random.nextInt(20)).toArray();
            List<Integer> compact = NumberLists.ofInts(start.clone());
            List<Integer> plain = new ArrayList<>(Arrays.stream(start).boxed().toList());
            for (int step = 0; step < 200; step++) {
                int size = plain.size();
                Integer value = random.nextInt(10) == 0 ? null : random.nextInt();
                switch (random.nextInt(7)) {
                    case 0 -> {
                        compact.add(value);
                        plain.add(value);
                    }
                    case 1 -> {
                        int at = random.nextInt(size + 1);
                        compact.add(at, value);
                        plain.add(at, value);
                    }
                    case 2 -> {
                        if (size > 0) {
                            int at = random.nextInt(size);
                            assertEquals(plain.remove(at), compact.remove(at));
                        }
                    }
                    case 3 -> {
                        if (size > 0) {
                            int at = random.nextInt(size);
                            assertEquals(plain.set(at, value), compact.set(at, value));
                        }
                    }
                    case 4 -> {
                        int from = random.nextInt(size + 1);
                        int to = from + random.nextInt(size - from + 1);
                        compact.subList(from, to).clear();
                        plain.subList(from, to).clear();
                    }
                    case 5 -> {
                        if (random.nextInt(20) == 0) {
                            compact.clear();
                            plain.clear();
                        }
                    }
                    default -> {
                        compact.removeIf(v -> v != null && v % 3 == 0);
                        plain.removeIf(v -> v != null && v % 3 == 0);
                    }
                }
                assertEquals(plain, compact);
                assertEquals(compact, plain);
                assertEquals(plain.hashCode(), compact.hashCode());
            }
        }
        List<Integer> list = NumberLists.ofInts(new int[] {3, 1, 2});
        Collections.sort(list);
        assertEquals(List.of(1, 2, 3), list);
        assertEquals("[1, 2, 3]", list.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> list.add(5, 1));
    }

    @Test
    void longList_keepsItsArray_untilANullGoesIn() {
        long[] values = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
        List<Long> list = NumberLists.ofLongs(values);
        assertArrayEquals(values, NumberLists.longArray(list));
        list.add(5L);
        assertEquals(List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE, 5L), list);
        list.add(null);
        assertNull(NumberLists.longArray(list), "boxed once a null went in");
        assertEquals(Arrays.asList(Long.MIN_VALUE, 0L, Long.MAX_VALUE, 5L, null), list);
        assertNull(NumberLists.intArray(list));
        assertNull(NumberLists.intArray(new ArrayList<>(List.of(1))));
        assertNotNull(NumberLists.intArray(NumberLists.ofInts(new int[0])));
    }

    @Test
    void numberLists_travelByArrayListsName_andSerializeAsArrayLists() throws Exception {
        // Declared Object: the class name travels, and must be one the other side reads.
        Object value = NumberLists.ofInts(new int[] {1, -2, 3});
        String text = json.writer(json.data().constructType(Object.class)).writeValueAsString(value);
        assertEquals("[\"java.util.ArrayList\",[1,-2,3]]", text);
        Object read = json.data().readValue(text, Object.class);
        assertEquals(ArrayList.class, read.getClass());
        assertEquals(value, read);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(NumberLists.ofLongs(new long[] {4, 5}));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Object back = in.readObject();
            assertEquals(ArrayList.class, back.getClass());
            assertEquals(List.of(4L, 5L), back);
        }
    }
}
