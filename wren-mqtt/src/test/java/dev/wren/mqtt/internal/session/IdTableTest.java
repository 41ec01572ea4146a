package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdTableTest {

    @Test
    void behavesLikeAMapUnderRandomPutsRemovesAndTrims() {
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
            if (r.nextInt(50) == 0) {
                table.trim(); // gives the storage up only when empty: never loses an entry
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (int id = 1; id <= 65535; id++) {
            Integer expected = model.get(id);
            int actual = table.get(id);
            assertThat(IdTable.missing(actual) ? null : actual).isEqualTo(expected);
        }
    }

    @Test
    void aSessionTrimmedWhileNothingIsInFlightTakesNewMessagesAndKeepsThoseInFlight() {
        Session s = new Session();
        int a = s.allocate();
        s.add(a, OutgoingState.AWAIT_PUBACK, "t", dev.wren.mqtt.Qos.AT_LEAST_ONCE, false,
                java.nio.ByteBuffer.allocate(1), 0, 1, null);
        s.trim(); // one in flight: nothing given up
        assertThat(s.get(a)).isNotNull();
        assertThat(s.publishes()).isEqualTo(1);
        s.remove(a);
        s.trim();
        assertThat(s.size()).isZero();
        assertThat(s.inFlight()).isEmpty();
        int b = s.allocate();
        assertThat(b).isNotEqualTo(a); // identifiers go on from where they were
        s.add(b, OutgoingState.AWAIT_PUBACK, "u", dev.wren.mqtt.Qos.AT_LEAST_ONCE, false,
                java.nio.ByteBuffer.allocate(1), 0, 1, null);
        assertThat(s.get(b).topic).isEqualTo("u");
        assertThat(s.inFlight()).hasSize(1);
        assertThat(s.publishes()).isEqualTo(1);
    }
}
