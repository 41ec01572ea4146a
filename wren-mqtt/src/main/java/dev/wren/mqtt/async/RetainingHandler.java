package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttEvent;

/**
 * A handler that keeps a message past its call and says when it is done with it, so that the message holds its slot
 * of the client's bound ({@link InboundLimit}) until then: a {@link java.util.concurrent.Flow} subscription, whose
 * messages wait for the subscriber's demand.
 *
 * <p>Implementations are thread-safe.
 */
interface RetainingHandler extends MessageHandler {

    /** Takes {@code m}; runs {@code release} once the subscriber has it, or it is given up. */
    void offer(MqttEvent.Publish m, Runnable release);

    @Override
    default void onMessage(MqttEvent.Publish m) {
        offer(m, () -> { });
    }
}
