package io.github.pool4j.codec;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Lists of {@code Integer} or {@code Long} kept as one primitive array, for values that arrive as
 * binary numbers rather than JSON text: a million elements then cost one array, not a million
 * boxed objects for the garbage collector to trace and copy. They behave as the
 * {@code ArrayList} the JSON path would give (mutable, {@code null} elements allowed, equal to any
 * list of the same elements) and travel, by class name and by Java serialization, as one.
 *
 * <p>Thread-safety: the methods are; the lists are not thread-safe, as {@code ArrayList} is not.
 */
public final class NumberLists {

    private NumberLists() {}

    /**
     * Returns a list of the given integers, without copying them.
     *
     * @param values the elements; the list owns the array from now on
     * @return the list
     */
    public static List<Integer> ofInts(int[] values) {
        return new IntList(values, values.length);
    }

    /**
     * Returns a list of the given longs, without copying them.
     *
     * @param values the elements; the list owns the array from now on
     * @return the list
     */
    public static List<Long> ofLongs(long[] values) {
        return new LongList(values, values.length);
    }

    /**
     * Returns the array behind a list made by {@link #ofInts}, whose first {@code list.size()}
     * elements are the list's, or {@code null} for any other list (or one that holds a null).
     *
     * @param list a list
     * @return its array, not a copy; or {@code null}
     */
    public static int[] intArray(List<?> list) {
        return list instanceof IntList ints ? ints.array() : null;
    }

    /**
     * Returns the array behind a list made by {@link #ofLongs}, as {@link #intArray} does.
     *
     * @param list a list
     * @return its array, not a copy; or {@code null}
     */
    public static long[] longArray(List<?> list) {
        return list instanceof LongList longs ? longs.array() : null;
    }

    /** Tells whether {@code type} is one of these lists: its class name travels as ArrayList's. */
    static boolean isNumberList(Class<?> type) {
        return type == IntList.class || type == LongList.class;
    }

    /**
     * A mutable {@code List<Integer>} kept as an {@code int[]}: what a list of numbers from a
     * typed segment decodes to. It behaves as an {@code ArrayList<Integer>} would, {@code null}
     * elements included (the first one moves the elements into boxed storage), travels by the name
     * of {@code ArrayList} where a class name travels, and is serialized by Java serialization as
     * an {@code ArrayList}. Not thread-safe, as {@code ArrayList} is not.
     */
    static final class IntList extends AbstractList<Integer> implements RandomAccess, Serializable {
        private static final long serialVersionUID = 1L;

        private transient int[] values;
        private transient int size;
        /** All elements, once a null went in; then {@link #values} is no longer used. */
        private transient ArrayList<Integer> boxed;

        IntList(int[] values, int size) {
            this.values = values;
            this.size = size;
        }

        int[] array() {
            return boxed == null ? values : null;
        }

        @Override
        public int size() {
            return boxed != null ? boxed.size() : size;
        }

        @Override
        public Integer get(int index) {
            if (boxed != null) {
                return boxed.get(index);
            }
            Objects.checkIndex(index, size);
            return values[index];
        }

        @Override
        public Integer set(int index, Integer value) {
            if (boxed == null && value != null) {
                Objects.checkIndex(index, size);
                int old = values[index];
                values[index] = value;
                return old;
            }
            inflate();
            return boxed.set(index, value);
        }

        @Override
        public void add(int index, Integer value) {
            modCount++;
            if (boxed == null && value != null) {
                Objects.checkIndex(index, size + 1);
                if (size == values.length) {
                    values = Arrays.copyOf(values, Math.max(10, size + (size >> 1)));
                }
                System.arraycopy(values, index, values, index + 1, size - index);
                values[index] = value;
                size++;
                return;
            }
            inflate();
            boxed.add(index, value);
        }

        @Override
        public Integer remove(int index) {
            modCount++;
            if (boxed != null) {
                return boxed.remove(index);
            }
            Objects.checkIndex(index, size);
            int old = values[index];
            System.arraycopy(values, index + 1, values, index, size - index - 1);
            size--;
            return old;
        }

        @Override
        protected void removeRange(int from, int to) {
            modCount++;
            if (boxed != null) {
                boxed.subList(from, to).clear();
                return;
            }
            System.arraycopy(values, to, values, from, size - to);
            size -= to - from;
        }

        @Override
        public void clear() {
            modCount++;
            if (boxed != null) {
                boxed = null;
                values = new int[10];
            }
            size = 0;
        }

        private void inflate() {
            if (boxed == null) {
                ArrayList<Integer> all = new ArrayList<>(Math.max(10, size));
                for (int i = 0; i < size; i++) {
                    all.add(values[i]);
                }
                boxed = all;
                values = null;
                size = 0;
            }
        }

        /** Java serialization writes an {@code ArrayList}, as the JSON path's value would be. */
        private Object writeReplace() {
            return new ArrayList<>(this);
        }
    }

    /**
     * A mutable {@code List<Long>} kept as an {@code long[]}: what a list of numbers from a
     * typed segment decodes to. It behaves as an {@code ArrayList<Long>} would, {@code null}
     * elements included (the first one moves the elements into boxed storage), travels by the name
     * of {@code ArrayList} where a class name travels, and is serialized by Java serialization as
     * an {@code ArrayList}. Not thread-safe, as {@code ArrayList} is not.
     */
    static final class LongList extends AbstractList<Long> implements RandomAccess, Serializable {
        private static final long serialVersionUID = 1L;

        private transient long[] values;
        private transient int size;
        /** All elements, once a null went in; then {@link #values} is no longer used. */
        private transient ArrayList<Long> boxed;

        LongList(long[] values, int size) {
            this.values = values;
            this.size = size;
        }

        long[] array() {
            return boxed == null ? values : null;
        }

        @Override
        public int size() {
            return boxed != null ? boxed.size() : size;
        }

        @Override
        public Long get(int index) {
            if (boxed != null) {
                return boxed.get(index);
            }
            Objects.checkIndex(index, size);
            return values[index];
        }

        @Override
        public Long set(int index, Long value) {
            if (boxed == null && value != null) {
                Objects.checkIndex(index, size);
                long old = values[index];
                values[index] = value;
                return old;
            }
            inflate();
            return boxed.set(index, value);
        }

        @Override
        public void add(int index, Long value) {
            modCount++;
            if (boxed == null && value != null) {
                Objects.checkIndex(index, size + 1);
                if (size == values.length) {
                    values = Arrays.copyOf(values, Math.max(10, size + (size >> 1)));
                }
                System.arraycopy(values, index, values, index + 1, size - index);
                values[index] = value;
                size++;
                return;
            }
            inflate();
            boxed.add(index, value);
        }

        @Override
        public Long remove(int index) {
            modCount++;
            if (boxed != null) {
                return boxed.remove(index);
            }
            Objects.checkIndex(index, size);
            long old = values[index];
            System.arraycopy(values, index + 1, values, index, size - index - 1);
            size--;
            return old;
        }

        @Override
        protected void removeRange(int from, int to) {
            modCount++;
            if (boxed != null) {
                boxed.subList(from, to).clear();
                return;
            }
            System.arraycopy(values, to, values, from, size - to);
            size -= to - from;
        }

        @Override
        public void clear() {
            modCount++;
            if (boxed != null) {
                boxed = null;
                values = new long[10];
            }
            size = 0;
        }

        private void inflate() {
            if (boxed == null) {
                ArrayList<Long> all = new ArrayList<>(Math.max(10, size));
                for (int i = 0; i < size; i++) {
                    all.add(values[i]);
                }
                boxed = all;
                values = null;
                size = 0;
            }
        }

        /** Java serialization writes an {@code ArrayList}, as the JSON path's value would be. */
        private Object writeReplace() {
            return new ArrayList<>(this);
        }
    }
}
