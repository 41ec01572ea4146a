package dev.wren.mqtt;

import dev.wren.mqtt.internal.client.ConnectionIo;
import dev.wren.mqtt.internal.session.ClientProtocol;
import java.nio.ByteBuffer;

/**
 * The payload of the PUBLISH an {@link MqttClient} is streaming: one larger than its receive buffer, whose
 * {@link MqttEvent.Publish} came with a null payload and the full {@code payloadLength}. Read it in pieces into
 * buffers of your own, from inside the handler or later (the client takes no further input until it is read or
 * skipped); its acknowledgement goes once its last byte is read. Zephyr's {@code mqtt_read_publish_payload} and
 * its blocking forms.
 *
 * <p>Not thread-safe: belongs to its client and is used by the thread that polls it.
 */
public final class StreamedPayload {
    private final MqttClient client;
    private final ClientProtocol protocol;
    private final ConnectionIo io;

    StreamedPayload(MqttClient client, ClientProtocol protocol, ConnectionIo io) {
        this.client = client;
        this.protocol = protocol;
        this.io = io;
    }

    /**
     * Bytes of the payload not yet read; 0 when none is being streamed.
     *
     * @return the number of bytes
     */
    public int remaining() {
        return protocol.payloadRemaining();
    }

    /**
     * Reads payload bytes into {@code dst} without blocking, first from the receive buffer, then straight from the
     * socket: Zephyr's {@code mqtt_read_publish_payload}.
     *
     * @param dst where the bytes go
     * @return the number of bytes read (0 if none are available yet), or -1 if no payload remains
     */
    public int read(ByteBuffer dst) {
        if (protocol.payloadRemaining() == 0) {
            return -1;
        }
        try {
            int n = io.readPayload(dst, MqttClient.now());
            if (protocol.payloadRemaining() == 0) {
                client.afterOperation(); // the acknowledgement owed for it
            }
            return n;
        } finally {
            client.deliverEvents();
        }
    }

    /**
     * Reads payload bytes, waiting up to {@code timeoutMillis} for some to arrive: Zephyr's
     * {@code mqtt_read_publish_payload_blocking}.
     *
     * @param dst where the bytes go
     * @param timeoutMillis the longest wait in milliseconds
     * @return the number of bytes read (0 on time-out), or -1 if no payload remains or the connection ended
     */
    public int readBlocking(ByteBuffer dst, long timeoutMillis) {
        int n = io.readPayloadBlocking(dst, MqttClient.now() + timeoutMillis, this::read, MqttClient::now);
        client.deliverEvents();
        return n;
    }

    /**
     * Reads until {@code dst} is full or the payload is consumed, blocking up to {@code timeoutMillis} in all:
     * Zephyr's {@code mqtt_readall_publish_payload}.
     *
     * @param dst where the bytes go
     * @param timeoutMillis the longest wait in all, in milliseconds
     * @return the number of bytes read; fewer than requested only on time-out or when the connection ended
     */
    public int readAll(ByteBuffer dst, long timeoutMillis) {
        long deadline = MqttClient.now() + timeoutMillis;
        int total = 0;
        for (int n = 0; n >= 0 && dst.hasRemaining() && remaining() > 0 && MqttClient.now() < deadline; ) {
            n = readBlocking(dst, deadline - MqttClient.now());
            total += Math.max(0, n);
        }
        return total;
    }

    /**
     * Discards the rest of the payload: what is buffered now, the rest as it arrives through
     * {@link MqttClient#input()}. The acknowledgement is still sent (the message counts as received).
     */
    public void skip() {
        if (protocol.payloadRemaining() > 0) {
            protocol.skipPayload(io.rx());
            if (protocol.payloadRemaining() == 0) {
                client.afterOperation();
            }
        }
        client.deliverEvents();
    }
}
