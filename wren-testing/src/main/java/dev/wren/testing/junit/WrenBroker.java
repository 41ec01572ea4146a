package dev.wren.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test a started MQTT broker on a free loopback port, stopped after it: a real Mosquitto when it is
 * installed, otherwise Moquette in the test's JVM ({@link Kind#AUTO}). The test takes a {@link TestBroker} as a
 * parameter of its constructor, of a test method or of a lifecycle method.
 *
 * <p>On a class, one broker serves every test of the class (and of its {@code @Nested} classes); on a method, that
 * test gets a broker of its own. Tests of different classes never share one.
 *
 * <pre>{@code
 * @WrenBroker
 * class OrderEventsTest {
 *     @Test
 *     void publishesAnEventPerOrder(TestBroker broker) throws Exception {
 *         try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
 *                 .broker(broker.host(), broker.port()).clientId("orders").build()).build()) {
 *             client.connect().get(5, TimeUnit.SECONDS);
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(WrenBrokerExtension.class)
public @interface WrenBroker {
    /**
     * Which broker; by default Mosquitto when it is installed, otherwise Moquette.
     *
     * @return the kind of broker
     */
    Kind value() default Kind.AUTO;

    /**
     * Extra lines for Mosquitto's configuration file (for example {@code "max_inflight_messages 10"}); the launcher
     * writes the listener, persistence and logging lines itself. Moquette ignores them: a test that needs them asks
     * for {@link Kind#MOSQUITTO}.
     *
     * @return the configuration lines
     */
    String[] mosquittoConfig() default {};

    /** The brokers the extension can start. */
    enum Kind {
        /** Mosquitto when its binary is installed, otherwise Moquette. */
        AUTO,
        /** Mosquitto, started as a process; the test fails with a message saying how to install it when it is absent. */
        MOSQUITTO,
        /** Moquette, in the test's JVM (MQTT 3.1.1; its MQTT 5.0 support is partial). */
        MOQUETTE
    }
}
