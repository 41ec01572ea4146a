/**
 * Wren: a small, strict MQTT 3.1 / 3.1.1 / 5.0 client. Two packages are public API: {@code dev.wren.mqtt}, the
 * poll-driven client, its configuration, events and transports; and {@code dev.wren.mqtt.async}, the asynchronous
 * client on an event loop. Everything under {@code dev.wren.mqtt.internal} (codec, protocol core, transports, TLS)
 * is not exported and may change.
 */
module dev.wren.mqtt {
    requires jdk.jfr; // Flight Recorder events for connect, disconnect and reconnect: part of the JDK
    exports dev.wren.mqtt;
    exports dev.wren.mqtt.async;
}
