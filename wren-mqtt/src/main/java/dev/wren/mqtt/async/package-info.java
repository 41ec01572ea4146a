/**
 * The asynchronous client, exported by the module {@code dev.wren.mqtt}: {@link dev.wren.mqtt.async.AsyncMqttClient}
 * runs the poll-driven core on an {@link dev.wren.mqtt.async.EventLoop} that many clients share, and adds futures,
 * message handlers on executors, a send queue behind the core's window, reconnects and session stores.
 */
package dev.wren.mqtt.async;
