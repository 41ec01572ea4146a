package dev.wren.testing.junit;

/**
 * A broker started for a test by {@link WrenBroker}: where to connect, and which broker it is.
 *
 * <p>Thread-safe: its values never change.
 */
public interface TestBroker {
    /** The loopback address it listens on, {@code 127.0.0.1}. */
    String host();

    /** The TCP port it listens on for MQTT. */
    int port();

    /** Which broker it is: {@link WrenBroker.Kind#MOSQUITTO} or {@link WrenBroker.Kind#MOQUETTE}, never AUTO. */
    WrenBroker.Kind kind();

    /** {@code tcp://host:port}, as Paho and the CLI take it. */
    default String uri() {
        return "tcp://" + host() + ":" + port();
    }
}
