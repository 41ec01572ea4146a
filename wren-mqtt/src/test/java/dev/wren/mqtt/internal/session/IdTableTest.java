package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdTableTest {

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemoves() {
        Random r = new Random(42);
        IdTable table = new IdTable();
        Map<Integer, Integer> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            int id = 1 + r.nextInt(r.nextBoolean() ? 64 : 65535);
            if (r.nextInt(3) == 0) {
                Integer expected = model.remove(id);
                int actual = table.remove(id);
                assertThat(IdTable.missing(actual) ? null : actual).isEqualTo(expected);
            } else {
                model.put(id, i);
                table.put(id, i);
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (int id = 1; id <= 65535; id++) {
            Integer expected = model.get(id);
            int actual = table.get(id);
            assertThat(IdTable.missing(actual) ? null : actual).isEqualTo(expected);
        }
    }
}
