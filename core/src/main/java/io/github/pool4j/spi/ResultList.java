package io.github.pool4j.spi;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The modifiable list a {@code map} returns, over the call's own array of outcomes (no copy of a
 * million results). Elements are kept as chunks store them, a {@code null} as a sentinel, so that
 * no slot of the array ever reads as an input still waiting for its outcome. The first structural
 * change ({@code add}, {@code remove}, ...) moves the elements into an array of the list's own,
 * which grows as an {@link ArrayList}'s does. Serialized as an {@code ArrayList}.
 *
 * <p>Not thread-safe, like {@code ArrayList}.
 */
final class ResultList extends AbstractList<Object> implements RandomAccess, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The elements, stored ({@link Chunk#stored}); the call's array until the first structural change. */
    private transient Object[] elements;
    private transient int size;
    private transient boolean shared = true;

    ResultList(Object[] outcomes) {
        this.elements = outcomes;
        this.size = outcomes.length;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, size);
        return Chunk.valueOf(elements[index]);
    }

    @Override
    public Object set(int index, Object element) {
        Objects.checkIndex(index, size);
        Object previous = elements[index];
        elements[index] = Chunk.stored(element);
        return Chunk.valueOf(previous);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void add(int index, Object element) {
        Objects.checkIndex(index, size + 1);
        ownArray(size + 1);
        System.arraycopy(elements, index, elements, index + 1, size - index);
        elements[index] = Chunk.stored(element);
        size++;
        modCount++;
    }

    @Override
    public Object remove(int index) {
        Objects.checkIndex(index, size);
        ownArray(size);
        Object previous = elements[index];
        System.arraycopy(elements, index + 1, elements, index, size - index - 1);
        elements[--size] = null;
        modCount++;
        return Chunk.valueOf(previous);
    }

    /** Moves the elements into an array of this list's own, with room for {@code capacity}. */
    private void ownArray(int capacity) {
        int length = elements.length;
        if (capacity > length) {
            length = Math.max(capacity, length + (length >> 1) + 1);
        }
        if (shared || length != elements.length) {
            elements = Arrays.copyOf(elements, length);
            shared = false;
        }
    }

    @Serial
    private Object writeReplace() {
        return new ArrayList<>(this);
    }
}
