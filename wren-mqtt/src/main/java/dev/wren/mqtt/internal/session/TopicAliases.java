package dev.wren.mqtt.internal.session;

import java.util.HashMap;

/**
 * The Topic Aliases a client gives its outgoing topics on one connection (MQTT 5.0 section 3.3.2.3.4): at most the
 * server's Topic Alias Maximum, the least recently used topic giving its alias up when all are taken. A topic's first
 * PUBLISH with an alias carries the name and the alias; later ones only the alias.
 *
 * <p>Looking a topic up allocates nothing; giving one an alias allocates its map entry. Not thread-safe: owned by
 * its {@link Connection}.
 */
final class TopicAliases {
    private final int maximum;
    private final HashMap<String, Entry> byTopic = new HashMap<>();
    private final Entry[] byAlias;
    private long clock;

    private static final class Entry {
        final int alias;
        String topic;
        long used;

        Entry(int alias) {
            this.alias = alias;
        }
    }

    TopicAliases(int maximum) {
        this.maximum = maximum;
        this.byAlias = new Entry[maximum + 1];
    }

    /** The alias the server already knows for {@code topic}, marked as just used; 0 when it has none. */
    int known(String topic) {
        Entry e = byTopic.get(topic);
        if (e == null) {
            return 0;
        }
        e.used = ++clock;
        return e.alias;
    }

    /**
     * Gives {@code topic} (which has no alias) one, taking the least recently used one's when all are in use; the
     * PUBLISH that carries it must carry the name too.
     */
    int assign(String topic) {
        Entry e;
        int next = byTopic.size() + 1;
        if (next <= maximum) {
            e = new Entry(next);
            byAlias[next] = e;
        } else {
            e = byAlias[1];
            for (int a = 2; a <= maximum; a++) {
                if (byAlias[a].used < e.used) {
                    e = byAlias[a];
                }
            }
            byTopic.remove(e.topic);
        }
        e.topic = topic;
        e.used = ++clock;
        byTopic.put(topic, e);
        return e.alias;
    }
}
