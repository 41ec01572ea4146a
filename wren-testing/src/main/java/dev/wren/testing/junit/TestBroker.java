package dev.wren.testing.junit;

/**
 * A broker started for a test by {@link WrenBroker}: where to connect, and which broker it is.
 *
 * <p>Thread-safe: its values never change.
 */
public interface TestBroker {
    /**
     * The loopback address it listens on, {@code 127.0.0.1}.
     *
     * @return the host
     */
    String host();

    /**
     * The TCP port it listens on for MQTT.
     *
     * @return the port
     */
    int port();

    /**
     * Which broker it is: {@link WrenBroker.Kind#MOSQUITTO} or {@link WrenBroker.Kind#MOQUETTE}, never AUTO.
     *
     * @return the kind of broker
     */
    WrenBroker.Kind kind();

    /**
     * {@code tcp://host:port}, as Paho and the CLI take it.
     *
     * @return the URI
     */
    default String uri() {
        return "tcp://" + host() + ":" + port();
    }
}
