/**
 * Wren: a small, strict, poll-driven MQTT 3.1 / 3.1.1 client. Only {@code dev.wren.mqtt} is public API.
 */
module dev.wren.mqtt {
    exports dev.wren.mqtt;
    exports dev.wren.mqtt.async;
}
