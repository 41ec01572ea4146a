package dev.wren.mqtt.internal.session;

/**
 * A map from packet identifier (1..65535) to an int, by open addressing with linear probing. Allocates nothing
 * until the first entry and grows by doubling, so an idle connection costs a few bytes.
 *
 * <p>Not thread-safe.
 */
final class IdTable {
    private static final int MISSING = Integer.MIN_VALUE;

    private int[] keys;
    private int[] values;
    private int size;

    int size() {
        return size;
    }

    boolean contains(int id) {
        return get(id) != MISSING;
    }

    /** The value for {@code id}, or {@link #MISSING}. */
    int get(int id) {
        if (keys == null) {
            return MISSING;
        }
        int mask = keys.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == id) {
                return values[i];
            }
            if (k == 0) {
                return MISSING;
            }
        }
    }

    /** Gives the arrays up if the table is empty (an idle connection); the next {@link #put} allocates again. */
    void trim() {
        if (size == 0) {
            keys = null;
            values = null;
        }
    }

    static boolean missing(int value) {
        return value == MISSING;
    }

    void put(int id, int value) {
        if (keys == null) {
            keys = new int[8];
            values = new int[8];
        } else if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == id) {
                values[i] = value;
                return;
            }
            if (k == 0) {
                keys[i] = id;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** Removes {@code id}; returns its value or {@link #MISSING}. */
    int remove(int id) {
        if (keys == null) {
            return MISSING;
        }
        int mask = keys.length - 1;
        int i = mix(id) & mask;
        while (keys[i] != id) {
            if (keys[i] == 0) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
        int old = values[i];
        // backward-shift deletion keeps probe chains intact without tombstones
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int k = keys[j];
            if (k == 0) {
                break;
            }
            int home = mix(k) & mask;
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = k;
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = 0;
        size--;
        return old;
    }

    /** Puts every entry of {@code other} into this table. */
    void putAll(IdTable other) {
        if (other.keys == null) {
            return;
        }
        for (int i = 0; i < other.keys.length; i++) {
            if (other.keys[i] != 0) {
                put(other.keys[i], other.values[i]);
            }
        }
    }

    void clear() {
        keys = null;
        values = null;
        size = 0;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int id) {
        return id * 0x9E3779B1 >>> 16;
    }
}
