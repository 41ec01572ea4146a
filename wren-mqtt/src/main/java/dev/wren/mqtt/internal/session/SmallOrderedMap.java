package dev.wren.mqtt.internal.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A map that keeps insertion order (a key put again keeps its place, as in {@link LinkedHashMap}) and costs little
 * while small: up to {@value #ARRAY_MAX} entries in one array, searched in order; past that, a {@link LinkedHashMap}.
 * Made for a client's subscriptions, mostly one or a few: one subscription costs an object and a four-slot array
 * (about 48 bytes) instead of a {@code LinkedHashMap}, its table and its entry (about 128). Keys are not null.
 *
 * <p>Not thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SmallOrderedMap<K, V> {
    /** The most entries kept in the array; one more moves them all to a {@link LinkedHashMap}, for good. */
    static final int ARRAY_MAX = 8;

    /** Keys at even indexes, each one's value after it; null until the first put. */
    private Object[] slots;
    private int size;
    /** All entries once there were more than {@link #ARRAY_MAX}; null before. */
    private LinkedHashMap<K, V> map;

    public int size() {
        return map != null ? map.size() : size;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The value of {@code key}, null if none. */
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        if (map != null) {
            return map.get(key);
        }
        int i = indexOf(key);
        return i < 0 ? null : (V) slots[i + 1];
    }

    /** Puts {@code value} under {@code key} (in its place if there, else last); returns the value it replaced. */
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        if (map != null) {
            return map.put(key, value);
        }
        int i = indexOf(key);
        if (i >= 0) {
            V old = (V) slots[i + 1];
            slots[i + 1] = value;
            return old;
        }
        if (size == ARRAY_MAX) {
            map = new LinkedHashMap<>(4 * ARRAY_MAX);
            for (int j = 0; j < 2 * size; j += 2) {
                map.put((K) slots[j], (V) slots[j + 1]);
            }
            slots = null;
            size = 0;
            map.put(key, value);
            return null;
        }
        if (slots == null) {
            slots = new Object[4];
        } else if (2 * size == slots.length) {
            slots = java.util.Arrays.copyOf(slots, 2 * slots.length);
        }
        slots[2 * size] = key;
        slots[2 * size + 1] = value;
        size++;
        return null;
    }

    /** Removes {@code key}'s entry, the later ones keeping their order; returns its value, null if none. */
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        if (map != null) {
            return map.remove(key);
        }
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        V old = (V) slots[i + 1];
        System.arraycopy(slots, i + 2, slots, i, 2 * size - i - 2);
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
        return old;
    }

    public void clear() {
        map = null;
        slots = null;
        size = 0;
    }

    /** Each value, in order. {@code action} must not change this map. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        if (map != null) {
            map.values().forEach(action);
            return;
        }
        for (int j = 1; j < 2 * size; j += 2) {
            action.accept((V) slots[j]);
        }
    }

    /** The values, in order, for one iteration during which this map does not change. */
    @SuppressWarnings("unchecked")
    public Iterable<V> values() {
        if (map != null) {
            return map.values();
        }
        Object[] s = slots;
        int n = size;
        return () -> new java.util.Iterator<V>() {
            private int j = 1;

            @Override
            public boolean hasNext() {
                return j < 2 * n;
            }

            @Override
            public V next() {
                if (j >= 2 * n) {
                    throw new java.util.NoSuchElementException();
                }
                V v = (V) s[j];
                j += 2;
                return v;
            }
        };
    }

    /** The entries now, in order, as a map of their own that cannot be changed. */
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        if (isEmpty()) {
            return Map.of();
        }
        if (map != null) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
        LinkedHashMap<K, V> copy = new LinkedHashMap<>(2 * size);
        for (int j = 0; j < 2 * size; j += 2) {
            copy.put((K) slots[j], (V) slots[j + 1]);
        }
        return Collections.unmodifiableMap(copy);
    }

    private int indexOf(Object key) {
        for (int j = 0; j < 2 * size; j += 2) {
            if (slots[j].equals(key)) {
                return j;
            }
        }
        return -1;
    }
}
