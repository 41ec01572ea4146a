package dev.wren.mqtt;

/** Why a connection ended: the {@code reason} of a {@link MqttEvent.Disconnect}. */
public enum DisconnectReason {
    /** The application called {@link MqttClient#disconnect()}: DISCONNECT was sent, then the connection closed. */
    NORMAL,
    /** The application called {@link MqttClient#abort()}: closed without DISCONNECT, so the will is published. */
    ABORTED,
    /** The server answered CONNECT with a CONNACK that refused the connection. */
    REFUSED,
    /** The server closed the connection (end of stream) without the client asking. */
    CLOSED_BY_SERVER,
    /**
     * MQTT 5.0: the server sent DISCONNECT, with the reason code in {@link MqttEvent.Disconnect#reasonCode()}
     * (session taken over, server shutting down, keep-alive timeout, ...) and perhaps a Server Reference.
     */
    SERVER_DISCONNECT,
    /**
     * MQTT 5.0 enhanced authentication failed on the client's side: the {@link Authenticator} could not answer the
     * server's challenge or found the server's final data wrong; the message says which.
     */
    AUTHENTICATION_FAILED,
    /** The server broke the protocol; {@link MqttEvent.Disconnect#violation()} says how. */
    PROTOCOL_VIOLATION,
    /** Reading, writing or connecting failed; {@link MqttEvent.Disconnect#cause()} holds the exception. */
    IO_ERROR,
    /**
     * TLS failed: an untrusted, expired or wrong-host certificate, a failed handshake, a server that does not speak
     * TLS. {@link MqttEvent.Disconnect#cause()} holds the {@link javax.net.ssl.SSLException}.
     */
    TLS_ERROR,
    /** No PINGRESP arrived within the ping timeout. */
    KEEP_ALIVE_TIMEOUT,
    /** No CONNACK arrived within the connect timeout (or the transport did not connect in time). */
    CONNECT_TIMEOUT,
    /**
     * A proxy would not open the tunnel to the broker: it refused (its status, such as 403 or 502, is in the
     * message), asked for credentials that were missing or wrong (407), or did not answer as a proxy.
     */
    PROXY_REFUSED
}
