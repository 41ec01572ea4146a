package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.junit.TestBroker;
import dev.wren.testing.junit.WrenBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a machine without Mosquitto, {@code @WrenBroker} gives Moquette in the JVM, and the same test code runs.
 * Mosquitto's absence is pretended with {@code wren.testing.mosquitto=absent}, set before the test's broker starts
 * (the annotation is on the method, so it starts after {@code @BeforeAll}).
 */
class WithoutMosquittoTest {
    @BeforeAll
    static void pretendMosquittoIsNotInstalled() {
        System.setProperty("wren.testing.mosquitto", "absent");
    }

    @AfterAll
    static void restore() {
        System.clearProperty("wren.testing.mosquitto");
    }

    @Test
    @WrenBroker
    void theDefaultBrokerIsMoquetteAndAnOrderStillReachesItsSubscriber(TestBroker broker) throws Exception {
        assertThat(broker.kind()).isEqualTo(WrenBroker.Kind.MOQUETTE);
        assertThat(OrderEventsTest.placeAndWatch(broker, "shop-none", "5", 4)).isEqualTo("orders/5/placed quantity=4");
    }
}
