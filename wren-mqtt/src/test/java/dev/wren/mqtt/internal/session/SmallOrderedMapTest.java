package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmallOrderedMapTest {

    /** Keys from a small set or a large one, so that the map lives both in its array and past it. */
    private static String key(Random r) {
        return "filter/" + r.nextInt(r.nextInt(4) == 0 ? 40 : 6);
    }

    @Test
    void behavesLikeALinkedHashMapUnderRandomPutsRemovesAndClears() {
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            SmallOrderedMap<String, Integer> map = new SmallOrderedMap<>();
            Map<String, Integer> model = new LinkedHashMap<>();
            for (int i = 0; i < 2_000; i++) {
                String k = key(r);
                int op = r.nextInt(100);
                if (op < 55) {
                    assertThat(map.put(k, i)).isEqualTo(model.put(k, i));
                } else if (op < 97) {
                    assertThat(map.remove(k)).isEqualTo(model.remove(k));
                } else if (op < 98) {
                    map.clear();
                    model.clear();
                }
                assertThat(map.get(k)).isEqualTo(model.get(k));
                assertThat(map.size()).isEqualTo(model.size());
                assertThat(map.isEmpty()).isEqualTo(model.isEmpty());
                List<Integer> values = new ArrayList<>();
                map.values().forEach(values::add);
                assertThat(values).as("seed %d step %d", seed, i).containsExactlyElementsOf(model.values());
                List<Integer> each = new ArrayList<>();
                map.forEachValue(each::add);
                assertThat(each).isEqualTo(values);
                assertThat(map.snapshot()).containsExactlyEntriesOf(model);
            }
        }
    }

    @Test
    void aKeyPutAgainKeepsItsPlaceInsideTheArrayAndAfterMovingToTheMap() {
        SmallOrderedMap<String, Integer> map = new SmallOrderedMap<>();
        for (int i = 0; i < SmallOrderedMap.ARRAY_MAX; i++) {
            map.put("k" + i, i);
        }
        map.put("k0", 100);
        assertThat(map.snapshot().keySet()).first().isEqualTo("k0");
        map.put("k" + SmallOrderedMap.ARRAY_MAX, 8); // one more than the array holds
        map.put("k1", 101);
        assertThat(map.snapshot().keySet()).startsWith("k0", "k1", "k2").endsWith("k" + SmallOrderedMap.ARRAY_MAX);
        assertThat(map.get("k1")).isEqualTo(101);
    }

    @Test
    void aSnapshotDoesNotFollowLaterChangesAndCannotBeChanged() {
        SmallOrderedMap<String, Integer> map = new SmallOrderedMap<>();
        assertThat(map.snapshot()).isEmpty();
        map.put("a", 1);
        Map<String, Integer> before = map.snapshot();
        map.put("b", 2);
        map.remove("a");
        assertThat(before).containsExactlyEntriesOf(Map.of("a", 1));
        assertThatThrownBy(() -> before.put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aNullKeyIsRefusedWithItsName() {
        assertThatThrownBy(() -> new SmallOrderedMap<String, Integer>().put(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("key");
    }
}
