package io.github.pool4j.codec;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
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
     * A mutable list kept as one primitive array ({@code int[]} or {@code long[]}): what a list of
     * numbers from a typed segment decodes to. It behaves as an {@code ArrayList} of the boxed type
     * would, {@code null} elements included (the first one moves the elements into boxed storage),
     * travels by the name of {@code ArrayList} where a class name travels, and is serialized by
     * Java serialization as an {@code ArrayList}. Not thread-safe, as {@code ArrayList} is not.
     *
     * @param <E> the boxed element type
     */
    private abstract static class CompactList<E> extends AbstractList<E> implements RandomAccess, Serializable {
        private static final long serialVersionUID = 1L;

        /** The primitive array; its first {@link #size} elements are the list's. */
        transient Object values;
        private transient int size;
        /** All elements, once a null went in; then {@link #values} is no longer used. */
        private transient ArrayList<E> boxed;

        CompactList(Object values, int size) {
            this.values = values;
            this.size = size;
        }

        /** The element at {@code index} of {@link #values}, boxed. */
        abstract E at(int index);

        /** Stores a non-null {@code value} at {@code index} of {@link #values}. */
        abstract void put(int index, E value);

        /** A new primitive array of {@code length} elements. */
        abstract Object newArray(int length);

        /** The length of {@link #values}. */
        abstract int capacity();

        /** The array, or {@code null} once a null went in. */
        final Object primitives() {
            return boxed == null ? values : null;
        }

        @Override
        public final int size() {
            return boxed != null ? boxed.size() : size;
        }

        @Override
        public final E get(int index) {
            if (boxed != null) {
                return boxed.get(index);
            }
            Objects.checkIndex(index, size);
            return at(index);
        }

        @Override
        public final E set(int index, E value) {
            if (boxed == null && value != null) {
                Objects.checkIndex(index, size);
                E old = at(index);
                put(index, value);
                return old;
            }
            inflate();
            return boxed.set(index, value);
        }

        @Override
        public final void add(int index, E value) {
            modCount++;
            if (boxed == null && value != null) {
                Objects.checkIndex(index, size + 1);
                if (size == capacity()) {
                    Object grown = newArray(Math.max(10, size + (size >> 1)));
                    System.arraycopy(values, 0, grown, 0, size);
                    values = grown;
                }
                System.arraycopy(values, index, values, index + 1, size - index);
                put(index, value);
                size++;
                return;
            }
            inflate();
            boxed.add(index, value);
        }

        @Override
        public final E remove(int index) {
            modCount++;
            if (boxed != null) {
                return boxed.remove(index);
            }
            Objects.checkIndex(index, size);
            E old = at(index);
            System.arraycopy(values, index + 1, values, index, size - index - 1);
            size--;
            return old;
        }

        @Override
        protected final void removeRange(int from, int to) {
            modCount++;
            if (boxed != null) {
                boxed.subList(from, to).clear();
                return;
            }
            System.arraycopy(values, to, values, from, size - to);
            size -= to - from;
        }

        @Override
        public final void clear() {
            modCount++;
            if (boxed != null) {
                boxed = null;
                values = newArray(10);
            }
            size = 0;
        }

        private void inflate() {
            if (boxed == null) {
                ArrayList<E> all = new ArrayList<>(Math.max(10, size));
                for (int i = 0; i < size; i++) {
                    all.add(at(i));
                }
                boxed = all;
                values = null;
                size = 0;
            }
        }

        /** Java serialization writes an {@code ArrayList}, as the JSON path's value would be. */
        final Object writeReplace() {
            return new ArrayList<>(this);
        }
    }

    /** A {@link CompactList} of {@code Integer} kept as an {@code int[]}. */
    static final class IntList extends CompactList<Integer> {
        private static final long serialVersionUID = 1L;

        IntList(int[] values, int size) {
            super(values, size);
        }

        int[] array() {
            return (int[]) primitives();
        }

        @Override
        Integer at(int index) {
            return ((int[]) values)[index];
        }

        @Override
        void put(int index, Integer value) {
            ((int[]) values)[index] = value;
        }

        @Override
        Object newArray(int length) {
            return new int[length];
        }

        @Override
        int capacity() {
            return ((int[]) values).length;
        }
    }

    /** A {@link CompactList} of {@code Long} kept as a {@code long[]}. */
    static final class LongList extends CompactList<Long> {
        private static final long serialVersionUID = 1L;

        LongList(long[] values, int size) {
            super(values, size);
        }

        long[] array() {
            return (long[]) primitives();
        }

        @Override
        Long at(int index) {
            return ((long[]) values)[index];
        }

        @Override
        void put(int index, Long value) {
            ((long[]) values)[index] = value;
        }

        @Override
        Object newArray(int length) {
            return new long[length];
        }

        @Override
        int capacity() {
            return ((long[]) values).length;
        }
    }
}
