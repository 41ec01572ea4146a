package dev.wren.mqtt;

/**
 * Receives every event of one client: the Java form of Zephyr's {@code mqtt_evt_cb_t}.
 *
 * <p>The handler runs on the thread that drives the client. It may call any method of the client, as in Zephyr:
 * publish from inside a PUBLISH event, read a streamed payload, disconnect. It should not block for long, since
 * no other input of that client (or of the other clients on the same thread) is processed meanwhile.
 * An exception thrown by the handler propagates to the caller of {@code input()}/{@code live()} after the client
 * has finished updating its state; the connection stays open.
 */
@FunctionalInterface
public interface MqttEventHandler {
    /**
     * Called once per event.
     *
     * @param client the client it happened on
     * @param event what happened
     */
    void onEvent(MqttClient client, MqttEvent event);
}
