package dev.wren.mqtt.internal.transport;

import java.io.IOException;

/** A proxy would not open the tunnel: the client reports it as {@code DisconnectReason.PROXY_REFUSED}. */
public final class ProxyRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProxyRefusedException(String message) {
        super(message);
    }
}
