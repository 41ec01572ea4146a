package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttEvent;

/**
 * A publish was refused because the client had no connection to send it on and was built with
 * {@link AsyncMqttClientBuilder#queueWhileDisconnected(boolean) queueWhileDisconnected(false)}: nothing was queued
 * or stored. {@link #disconnect()} tells how the last connection ended, if there was one.
 */
public final class NotConnectedException extends MqttException {
    private static final long serialVersionUID = 1L;

    /**
     * Not connected; {@code lastDisconnect} is how the last connection ended, or null.
     *
     * @param lastDisconnect how the last connection ended, or null
     */
    public NotConnectedException(MqttEvent.Disconnect lastDisconnect) {
        super("not connected: publish refused, nothing queued (queueWhileDisconnected is off)", lastDisconnect);
    }
}
