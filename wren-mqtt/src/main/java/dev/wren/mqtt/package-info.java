/**
 * Wren's public API, exported by the module {@code dev.wren.mqtt}: the poll-driven {@link dev.wren.mqtt.MqttClient}
 * (Zephyr's model: connect, wait on the channel, {@code input()}, {@code live()}, one event handler), its
 * configuration, the {@link dev.wren.mqtt.MqttEvent}s it reports, and the transports it runs over. The asynchronous
 * client is in {@code dev.wren.mqtt.async}, the other exported package; everything under
 * {@code dev.wren.mqtt.internal} is not exported.
 */
package dev.wren.mqtt;
