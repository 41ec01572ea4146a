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
     * @param returnCode     accepted, or why the server refused; for MQTT 5.0 the nearest 3.1.1 code, or null for a
     *                       refusal 3.1.1 has no code for ({@code reasonCode} has the whole answer)
     * @param sessionPresent whether the server resumed a stored session (always false for MQTT 3.1)
     * @param reasonCode     the MQTT 5.0 reason code (for 3.1.1, the equivalent of the return code)
     * @param properties     what an MQTT 5.0 server granted and said: receive maximum, maximum QoS, maximum packet
     *                       size, topic alias maximum, assigned client identifier, server keep-alive, ...; none for
     *                       3.1.1
     */
    record ConnAck(ConnectReturnCode returnCode, boolean sessionPresent, ReasonCode reasonCode,
                   MqttProperties properties) implements MqttEvent {
        /**
         * A 3.1.1 CONNACK.
         *
         * @param returnCode the return code
         * @param sessionPresent the Session Present flag
         */
        public ConnAck(ConnectReturnCode returnCode, boolean sessionPresent) {
            this(returnCode, sessionPresent, reasonOf(returnCode), MqttProperties.none());
        }

        /** The 3.1.1 form when there is nothing of MQTT 5.0 to show. */
        @Override
        public String toString() {
            return "ConnAck[returnCode=" + returnCode + ", sessionPresent=" + sessionPresent
                    + (properties.isEmpty() && reasonCode == reasonOf(returnCode) ? ""
                    : ", reasonCode=" + reasonCode + ", properties=" + properties) + "]";
        }

        private static ReasonCode reasonOf(ConnectReturnCode c) {
            if (c == null) {
                return ReasonCode.UNSPECIFIED_ERROR;
            }
            return switch (c) {
                case ACCEPTED -> ReasonCode.SUCCESS;
                case UNACCEPTABLE_PROTOCOL_VERSION -> ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
                case IDENTIFIER_REJECTED -> ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
                case SERVER_UNAVAILABLE -> ReasonCode.SERVER_UNAVAILABLE;
                case BAD_USER_NAME_OR_PASSWORD -> ReasonCode.BAD_USER_NAME_OR_PASSWORD;
                case NOT_AUTHORIZED -> ReasonCode.NOT_AUTHORIZED;
            };
        }


        /**
         * Whether the connection was accepted.
         *
         * @return whether it was accepted
         */
        public boolean accepted() {
            return returnCode == ConnectReturnCode.ACCEPTED;
        }
    }

    /**
     * PUBLISH: an application message from the server, the one type for a received message on both clients.
     *
     * <p>On the poll-driven {@link MqttClient}, when the whole payload fit in the receive buffer, {@link #payload()}
     * is a read-only view of it, valid only while the handler runs ({@link #payloadBytes()} makes a copy).
     * Otherwise {@link #streamed()} is true, {@code payload()} is {@code null} and the application reads the
     * payload in pieces through {@link MqttClient#payload()} ({@link StreamedPayload#read(ByteBuffer)},
     * {@link StreamedPayload#readBlocking(ByteBuffer, long)}, {@link StreamedPayload#readAll(ByteBuffer, long)}),
     * inside the handler or later; the client processes no further input until the payload has been read or
     * {@linkplain StreamedPayload#skip() skipped}. In automatic acknowledgement mode the PUBACK or PUBREC is sent
     * once the payload is consumed.
     *
     * <p>The asynchronous client hands its handlers messages whose payload is a read-only view of an array of their
     * own, never streamed, valid as long as they like; with {@code manualAcks(true)} the handler acknowledges each
     * with {@link #acknowledge()}.
     *
     * <p>Immutable, apart from {@link #acknowledge()}, which is thread-safe and idempotent.
     */
    final class Publish implements MqttEvent {
        private final String topic;
        private final Qos qos;
        private final boolean dup;
        private final boolean retain;
        private final int messageId;
        private final int payloadLength;
        private final ByteBuffer payload;
        private final Runnable acknowledger;
        private final MqttProperties properties;
        private volatile boolean acknowledged;

        /**
         * A received message whose acknowledgement is not the application's.
         *
         * @param topic         the topic name
         * @param qos           the QoS the server delivered with
         * @param dup           the DUP flag: the server says it may have sent this message before
         * @param retain        the RETAIN flag
         * @param messageId     the packet identifier, 0 for QoS 0
         * @param payloadLength the payload length in bytes
         * @param payload       the payload from its position to its limit, or {@code null} when streamed
         */
        public Publish(String topic, Qos qos, boolean dup, boolean retain, int messageId, int payloadLength,
                       ByteBuffer payload) {
            this(topic, qos, dup, retain, messageId, payloadLength, payload, null);
        }

        /**
         * A received message that the application acknowledges: {@link #acknowledge()} runs {@code acknowledger}
         * once (nothing when it is null). For clients, and for tests of handlers.
         *
         * @param topic the topic it was published to
         * @param qos the QoS it was delivered with
         * @param dup the DUP flag
         * @param retain the RETAIN flag
         * @param messageId the packet identifier, 0 for QoS 0
         * @param payloadLength the whole payload's length in bytes
         * @param payload the payload, or null when streamed
         * @param acknowledger what acknowledges it, or null
         */
        public Publish(String topic, Qos qos, boolean dup, boolean retain, int messageId, int payloadLength,
                       ByteBuffer payload, Runnable acknowledger) {
            this(topic, qos, dup, retain, messageId, payloadLength, payload, acknowledger, MqttProperties.none());
        }

        /**
         * A received message with its MQTT 5.0 {@code properties} (user properties, content type, response topic,
         * correlation data, message expiry, subscription identifiers, ...).
         *
         * @param topic the topic it was published to
         * @param qos the QoS it was delivered with
         * @param dup the DUP flag
         * @param retain the RETAIN flag
         * @param messageId the packet identifier, 0 for QoS 0
         * @param payloadLength the whole payload's length in bytes
         * @param payload the payload, or null when streamed
         * @param acknowledger what acknowledges it, or null
         * @param properties the MQTT 5.0 properties
         */
        public Publish(String topic, Qos qos, boolean dup, boolean retain, int messageId, int payloadLength,
                       ByteBuffer payload, Runnable acknowledger, MqttProperties properties) {
            this.properties = java.util.Objects.requireNonNull(properties, "properties");
            this.topic = java.util.Objects.requireNonNull(topic, "topic");
            this.qos = java.util.Objects.requireNonNull(qos, "qos");
            this.dup = dup;
            this.retain = retain;
            this.messageId = messageId;
            this.payloadLength = payloadLength;
            this.payload = payload;
            this.acknowledger = acknowledger;
        }

        /**
         * A message with {@code payload} as its own (wrapped, not copied), as a handler under test would get it.
         *
         * @param topic the topic
         * @param payload the payload (not copied)
         * @param qos the QoS
         * @param retain the RETAIN flag
         * @return the message
         */
        public static Publish of(String topic, byte[] payload, Qos qos, boolean retain) {
            return new Publish(topic, qos, false, retain, 0, payload.length, ByteBuffer.wrap(payload).asReadOnlyBuffer());
        }

        /**
         * The topic it was published to.
         *
         * @return the topic
         */
        public String topic() {
            return topic;
        }

        /**
         * The QoS it was delivered with.
         *
         * @return the QoS
         */
        public Qos qos() {
            return qos;
        }

        /**
         * Whether the server marked it as a possible re-delivery (DUP).
         *
         * @return the DUP flag
         */
        public boolean dup() {
            return dup;
        }

        /**
         * Whether it is a retained message.
         *
         * @return the RETAIN flag
         */
        public boolean retain() {
            return retain;
        }

        /**
         * The packet identifier; 0 for QoS 0.
         *
         * @return the packet identifier
         */
        public int messageId() {
            return messageId;
        }

        /**
         * The MQTT 5.0 properties the message carried; none on an MQTT 3.1.1 connection.
         *
         * @return the properties
         */
        public MqttProperties properties() {
            return properties;
        }

        /**
         * This message with its acknowledgement given to {@code acknowledger}.
         *
         * @param payload the payload the new message carries
         * @param acknowledger what acknowledges it
         * @return the message
         */
        public Publish withAcknowledger(ByteBuffer payload, Runnable acknowledger) {
            return new Publish(topic, qos, dup, retain, messageId, payloadLength, payload, acknowledger, properties);
        }

        /**
         * The whole payload's length in bytes (more than {@code payload().remaining()} when it is streamed in pieces).
         *
         * @return the length in bytes
         */
        public int payloadLength() {
            return payloadLength;
        }

        /**
         * The payload, read-only, from its position to its limit; {@code null} when {@linkplain #streamed() streamed}.
         *
         * @return the payload, or null
         */
        public ByteBuffer payload() {
            return payload == null ? null : payload.duplicate();
        }

        /**
         * Whether the payload did not fit the receive buffer and is read through {@link MqttClient#payload()}.
         *
         * @return whether it is streamed
         */
        public boolean streamed() {
            return payload == null;
        }

        /**
         * A copy of the payload.
         *
         * @return the payload's bytes
         * @throws IllegalStateException if the payload is {@linkplain #streamed() streamed}
         */
        public byte[] payloadBytes() {
            if (payload == null) {
                throw new IllegalStateException("payload of " + payloadLength + " bytes is streamed: read it with "
                        + "MqttClient.payload()");
            }
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            return copy;
        }

        /**
         * The payload as UTF-8 text.
         *
         * @return the text
         */
        public String payloadAsString() {
            return new String(payloadBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        /**
         * Acknowledges the message to the broker when acknowledgements are the application's: on the asynchronous
         * client with {@code manualAcks(true)}, its PUBACK (QoS 1) or PUBREC (QoS 2) goes out once every message of
         * its QoS received before it on the same connection has been acknowledged too, as the specification
         * requires, so acknowledging out of order is safe. A message not acknowledged is sent again by the broker
         * after a reconnect with a session (and then delivered again, with {@link #dup()} set); an acknowledgement
         * given after its connection ended does nothing. Idempotent; any thread. Does nothing for QoS 0 and when
         * the client acknowledges by itself (the poll-driven client's deferred mode uses
         * {@link MqttClient#acknowledge(int)}).
         */
        public void acknowledge() {
            if (acknowledger != null && !acknowledged) {
                acknowledged = true;
                acknowledger.run();
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && topic.equals(p.topic) && qos == p.qos && dup == p.dup
                    && retain == p.retain && messageId == p.messageId && payloadLength == p.payloadLength
                    && java.util.Objects.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(topic, qos, dup, retain, messageId, payloadLength);
        }

        @Override
        public String toString() {
            return "Publish[topic=" + topic + ", qos=" + qos.code() + ", dup=" + dup + ", retain=" + retain
                    + ", messageId=" + messageId + ", payloadLength=" + payloadLength
                    + (payload == null ? ", streamed" : "") + "]";
        }
    }

    /**
     * PUBACK: the server acknowledged a QoS 1 PUBLISH.
     *
     * @param reasonCode MQTT 5.0: the server's reason code (0x80 and above: it refused the message, which is then
     *                   complete and not sent again); {@link ReasonCode#SUCCESS} for 3.1.1
     * @param properties MQTT 5.0: its Reason String and user properties
     */
    record PubAck(int messageId, ReasonCode reasonCode, MqttProperties properties) implements MqttEvent {
        /**
         * A 3.1.1 acknowledgement: success.
         *
         * @param messageId the packet identifier
         */
        public PubAck(int messageId) {
            this(messageId, ReasonCode.SUCCESS, MqttProperties.none());
        }

        @Override
        public String toString() {
            return "PubAck[messageId=" + messageId + (reasonCode == ReasonCode.SUCCESS && properties.isEmpty() ? ""
                    : ", reasonCode=" + reasonCode + ", properties=" + properties) + "]";
        }
    }

    /**
     * PUBREC: the server received a QoS 2 PUBLISH (first acknowledgement).
     *
     * @param reasonCode MQTT 5.0: the server's reason code (0x80 and above: it refused the message, which is then
     *                   complete and not sent again); {@link ReasonCode#SUCCESS} for 3.1.1
     * @param properties MQTT 5.0: its Reason String and user properties
     */
    record PubRec(int messageId, ReasonCode reasonCode, MqttProperties properties) implements MqttEvent {
        /**
         * A 3.1.1 acknowledgement: success.
         *
         * @param messageId the packet identifier
         */
        public PubRec(int messageId) {
            this(messageId, ReasonCode.SUCCESS, MqttProperties.none());
        }

        @Override
        public String toString() {
            return "PubRec[messageId=" + messageId + (reasonCode == ReasonCode.SUCCESS && properties.isEmpty() ? ""
                    : ", reasonCode=" + reasonCode + ", properties=" + properties) + "]";
        }
    }

    /**
     * PUBREL: the server released a QoS 2 PUBLISH it sent to this client.
     *
     * @param reasonCode MQTT 5.0: the server's reason code (0x80 and above: it refused the message, which is then
     *                   complete and not sent again); {@link ReasonCode#SUCCESS} for 3.1.1
     * @param properties MQTT 5.0: its Reason String and user properties
     */
    record PubRel(int messageId, ReasonCode reasonCode, MqttProperties properties) implements MqttEvent {
        /**
         * A 3.1.1 acknowledgement: success.
         *
         * @param messageId the packet identifier
         */
        public PubRel(int messageId) {
            this(messageId, ReasonCode.SUCCESS, MqttProperties.none());
        }

        @Override
        public String toString() {
            return "PubRel[messageId=" + messageId + (reasonCode == ReasonCode.SUCCESS && properties.isEmpty() ? ""
                    : ", reasonCode=" + reasonCode + ", properties=" + properties) + "]";
        }
    }

    /**
     * PUBCOMP: the QoS 2 exchange for an outgoing PUBLISH is complete.
     *
     * @param reasonCode MQTT 5.0: the server's reason code (0x80 and above: it refused the message, which is then
     *                   complete and not sent again); {@link ReasonCode#SUCCESS} for 3.1.1
     * @param properties MQTT 5.0: its Reason String and user properties
     */
    record PubComp(int messageId, ReasonCode reasonCode, MqttProperties properties) implements MqttEvent {
        /**
         * A 3.1.1 acknowledgement: success.
         *
         * @param messageId the packet identifier
         */
        public PubComp(int messageId) {
            this(messageId, ReasonCode.SUCCESS, MqttProperties.none());
        }

        @Override
        public String toString() {
            return "PubComp[messageId=" + messageId + (reasonCode == ReasonCode.SUCCESS && properties.isEmpty() ? ""
                    : ", reasonCode=" + reasonCode + ", properties=" + properties) + "]";
        }
    }

    /**
     * SUBACK: one return code per topic filter, in the order they were subscribed.
     *
     * @param messageId   the SUBSCRIBE's packet identifier
     * @param returnCodes granted QoS (0, 1, 2) or {@link #FAILURE} per filter (MQTT 5.0: the reason code's value,
     *                    0x80 and above for a refusal)
     * @param properties  MQTT 5.0: its Reason String and user properties
     */
    record SubAck(int messageId, List<Integer> returnCodes, MqttProperties properties) implements MqttEvent {
        /** The return code of a refused subscription. */
        public static final int FAILURE = 0x80;

        /**
         * Checks and keeps the values.
         *
         * @param messageId the packet identifier
         * @param returnCodes the return codes, one per filter
         * @param properties the MQTT 5.0 properties
         */
        public SubAck {
            returnCodes = List.copyOf(returnCodes);
        }

        /**
         * A 3.1.1 SUBACK.
         *
         * @param messageId the packet identifier
         * @param returnCodes the return codes, one per filter
         */
        public SubAck(int messageId, List<Integer> returnCodes) {
            this(messageId, returnCodes, MqttProperties.none());
        }

        /**
         * The return codes as reason codes (a 3.1.1 failure is {@link ReasonCode#UNSPECIFIED_ERROR}).
         *
         * @return the reason codes
         */
        public List<ReasonCode> reasonCodes() {
            List<ReasonCode> r = new java.util.ArrayList<>(returnCodes.size());
            for (int code : returnCodes) {
                r.add(dev.wren.mqtt.internal.codec.ReasonCodes.of(code,
                        dev.wren.mqtt.internal.codec.Property.Where.SUBACK));
            }
            return r;
        }
    }

    /**
     * UNSUBACK: the server processed an UNSUBSCRIBE.
     *
     * @param reasonCodes MQTT 5.0: one per filter, in order ({@link ReasonCode#NO_SUBSCRIPTION_EXISTED}, a refusal,
     *                    ...); empty for 3.1.1, whose UNSUBACK has none
     * @param properties  MQTT 5.0: its Reason String and user properties
     */
    record UnsubAck(int messageId, List<ReasonCode> reasonCodes, MqttProperties properties) implements MqttEvent {
        /**
         * Checks and keeps the values.
         *
         * @param messageId the packet identifier
         * @param reasonCodes the reason codes, one per filter (empty for 3.1.1)
         * @param properties the MQTT 5.0 properties
         */
        public UnsubAck {
            reasonCodes = List.copyOf(reasonCodes);
        }

        /**
         * A 3.1.1 UNSUBACK.
         *
         * @param messageId the packet identifier
         */
        public UnsubAck(int messageId) {
            this(messageId, List.of(), MqttProperties.none());
        }
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
        /**
         * Checks and keeps the values.
         *
         * @param messages the messages that were not completed
         */
        public SessionLost {
            messages = List.copyOf(messages);
        }
    }

    /**
     * AUTH (MQTT 5.0): a step of enhanced authentication from the server, already answered by the client's
     * {@link Authenticator}: {@link ReasonCode#CONTINUE_AUTHENTICATION}, or {@link ReasonCode#SUCCESS} when a
     * re-authentication succeeded.
     */
    record Auth(ReasonCode reasonCode, MqttProperties properties) implements MqttEvent {
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
     * @param reasonCode MQTT 5.0: the reason code of the DISCONNECT that ended the connection, the server's
     *                   ({@link DisconnectReason#SERVER_DISCONNECT}) or the one the client sent (on a violation, or
     *                   {@link ReasonCode#NORMAL_DISCONNECTION}), or of the CONNACK that refused it
     *                   ({@link DisconnectReason#REFUSED}); null when no DISCONNECT was exchanged
     * @param properties MQTT 5.0: the properties of the server's DISCONNECT or refusing CONNACK (Reason String,
     *                   Server Reference, user properties); none otherwise
     */
    record Disconnect(DisconnectReason reason, ProtocolViolation violation, String message, Throwable cause,
                      ReasonCode reasonCode, MqttProperties properties) implements MqttEvent {
        /**
         * A connection ended without an MQTT 5.0 DISCONNECT.
         *
         * @param reason why it ended
         * @param violation the protocol violation, or null
         * @param message a description for people
         * @param cause the exception behind it, or null
         */
        public Disconnect(DisconnectReason reason, ProtocolViolation violation, String message, Throwable cause) {
            this(reason, violation, message, cause, null, MqttProperties.none());
        }
    }
}
