package dev.wren.mqtt;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What happened on a connection: one event per packet received, plus {@link Disconnect} when it ends.
 *
 * <p>Events are delivered to the client's {@link MqttEventHandler} on the thread that called
 * {@link MqttClient#input()}, {@link MqttClient#live()} or the operation that ended the connection. They are
 * immutable values, except that {@link Publish#payload()} is a view of the client's receive buffer that is
 * only valid until the handler returns.
 */
public sealed interface MqttEvent {

    /**
     * CONNACK: the server's answer to CONNECT.
     *
     * @param returnCode     accepted, or why the server refused
     * @param sessionPresent whether the server resumed a stored session (always false for MQTT 3.1)
     */
    record ConnAck(ConnectReturnCode returnCode, boolean sessionPresent) implements MqttEvent {
        /** Whether the connection was accepted. */
        public boolean accepted() {
            return returnCode == ConnectReturnCode.ACCEPTED;
        }
    }

    /**
     * PUBLISH: an application message from the server.
     *
     * <p>If the whole payload fit in the receive buffer, {@link #payload()} is a read-only view of it, valid only
     * while the handler runs ({@link #payloadBytes()} makes a copy). Otherwise {@link #streamed()} is true,
     * {@code payload()} is {@code null} and the application reads the payload in pieces with
     * {@link StreamedPayload#read(ByteBuffer)}, {@link StreamedPayload#readBlocking(ByteBuffer, long)} or
     * {@link StreamedPayload#readAll(ByteBuffer, long)} (from {@link MqttClient#payload()}), inside the handler or later; the client
     * processes no further input until the payload has been read or {@linkplain StreamedPayload#skip()
     * skipped}. In automatic acknowledgement mode the PUBACK or PUBREC is sent once the payload is consumed.
     *
     * @param topic         the topic name
     * @param qos           the QoS the server delivered with
     * @param dup           the DUP flag: the server says it may have sent this message before
     * @param retain        the RETAIN flag
     * @param messageId     the packet identifier, 0 for QoS 0
     * @param payloadLength the payload length in bytes
     * @param payload       the payload, or {@code null} when streamed
     */
    record Publish(String topic, Qos qos, boolean dup, boolean retain, int messageId, int payloadLength,
                   ByteBuffer payload) implements MqttEvent {
        /** Whether the payload did not fit the receive buffer and must be read with {@code readPayload}. */
        public boolean streamed() {
            return payload == null;
        }

        /**
         * A copy of the payload.
         *
         * @throws IllegalStateException if the payload is {@linkplain #streamed() streamed}
         */
        public byte[] payloadBytes() {
            if (payload == null) {
                throw new IllegalStateException("payload of " + payloadLength + " bytes is streamed: use readPayload");
            }
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            return copy;
        }

        @Override
        public String toString() {
            return "Publish[topic=" + topic + ", qos=" + qos.code() + ", dup=" + dup + ", retain=" + retain
                    + ", messageId=" + messageId + ", payloadLength=" + payloadLength
                    + (payload == null ? ", streamed" : "") + "]";
        }
    }

    /** PUBACK: the server acknowledged a QoS 1 PUBLISH. */
    record PubAck(int messageId) implements MqttEvent {
    }

    /** PUBREC: the server received a QoS 2 PUBLISH (first acknowledgement). */
    record PubRec(int messageId) implements MqttEvent {
    }

    /** PUBREL: the server released a QoS 2 PUBLISH it sent to this client. */
    record PubRel(int messageId) implements MqttEvent {
    }

    /** PUBCOMP: the QoS 2 exchange for an outgoing PUBLISH is complete. */
    record PubComp(int messageId) implements MqttEvent {
    }

    /**
     * SUBACK: one return code per topic filter, in the order they were subscribed.
     *
     * @param messageId   the SUBSCRIBE's packet identifier
     * @param returnCodes granted QoS (0, 1, 2) or {@link #FAILURE} per filter
     */
    record SubAck(int messageId, List<Integer> returnCodes) implements MqttEvent {
        /** The return code of a refused subscription. */
        public static final int FAILURE = 0x80;

        public SubAck {
            returnCodes = List.copyOf(returnCodes);
        }
    }

    /** UNSUBACK: the server processed an UNSUBSCRIBE. */
    record UnsubAck(int messageId) implements MqttEvent {
    }

    /**
     * A PUBACK, PUBREC or PUBCOMP for a packet identifier the client has not got in flight (after a broker restart,
     * or a resend race), ignored, the connection kept (see
     * {@link MqttClientConfig.Builder#strictAcknowledgements(boolean)}). An unknown PUBREC was answered with PUBREL.
     *
     * @param packet    {@code "PUBACK"}, {@code "PUBREC"} or {@code "PUBCOMP"}
     * @param messageId its packet identifier
     */
    record UnexpectedAck(String packet, int messageId) implements MqttEvent {
    }

    /**
     * The server has no session for this client (CONNACK with session present 0, or a clean session), so it no
     * longer knows the QoS 1 and 2 messages the client sent and had not seen completed: the client has stopped
     * tracking them and their packet identifiers are free. Each may have reached subscribers or not; publish again
     * the ones that still matter ({@link MqttClient#publish}), as new messages. Follows the {@link ConnAck}. The
     * asynchronous client does this by itself.
     *
     * @param messages in the order they were first sent
     */
    record SessionLost(List<UnacknowledgedMessage> messages) implements MqttEvent {
        public SessionLost {
            messages = List.copyOf(messages);
        }
    }

    /** PINGRESP: the server answered a PINGREQ. */
    record PingResp() implements MqttEvent {
    }

    /**
     * The connection ended. After this event the client is disconnected and may be connected again.
     *
     * @param reason    why the connection ended
     * @param violation the rule the server broke, for {@link DisconnectReason#PROTOCOL_VIOLATION}; otherwise null
     * @param message   a human-readable explanation
     * @param cause     the underlying exception, for {@link DisconnectReason#IO_ERROR}; otherwise null
     */
    record Disconnect(DisconnectReason reason, ProtocolViolation violation, String message, Throwable cause)
            implements MqttEvent {
    }
}
