package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The MQTT 5.0 properties a packet carried (section 2.2.2), read by typed accessors; a property the packet did not
 * carry is empty. Packets of an MQTT 3.1 / 3.1.1 connection have none ({@link #none()}).
 *
 * <p>The properties to send with a message are built with {@link #builder()}: the ones a client may set on a
 * PUBLISH (or a will) are message expiry, payload format, content type, response topic, correlation data and user
 * properties; the client sets topic aliases itself.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface MqttProperties permits Properties {

    /**
     * No properties.
     *
     * @return the empty properties
     */
    static MqttProperties none() {
        return Properties.NONE;
    }

    /**
     * A builder for the properties of a message to publish.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Whether no property is set.
     *
     * @return whether it is empty
     */
    boolean isEmpty();

    /**
     * User properties, in the order given.
     *
     * @return the user properties, possibly empty
     */
    List<UserProperty> userProperties();

    /**
     * PUBLISH: the subscription identifiers of the subscriptions it matched, in the order given.
     *
     * @return the identifiers, possibly empty
     */
    List<Integer> subscriptionIdentifiers();

    /**
     * PUBLISH, will: the lifetime of the message in seconds.
     *
     * @return the interval, or empty
     */
    OptionalLong messageExpiryInterval();

    /**
     * PUBLISH, will: whether the payload is declared UTF-8 text (payload format indicator 1).
     *
     * @return whether the payload is UTF-8
     */
    boolean payloadIsUtf8();

    /**
     * PUBLISH, will: the MIME type or other description of the payload.
     *
     * @return the content type, or empty
     */
    Optional<String> contentType();

    /**
     * PUBLISH, will: the topic a response goes to.
     *
     * @return the response topic, or empty
     */
    Optional<String> responseTopic();

    /**
     * PUBLISH, will: data the requester uses to match a response to its request (a copy).
     *
     * @return the correlation data, or empty
     */
    Optional<byte[]> correlationData();

    /**
     * CONNACK, DISCONNECT: the session expiry interval in seconds.
     *
     * @return the interval, or empty
     */
    OptionalLong sessionExpiryInterval();

    /**
     * CONNACK: the client identifier the server assigned (when the client sent an empty one).
     *
     * @return the client identifier, or empty
     */
    Optional<String> assignedClientIdentifier();

    /**
     * CONNACK: the keep-alive the server requires, in seconds, which the client uses instead of its own.
     *
     * @return the keep-alive, or empty
     */
    OptionalInt serverKeepAlive();

    /**
     * CONNACK: how many QoS 1 and 2 messages the server takes unacknowledged (65,535 when absent).
     *
     * @return the Receive Maximum, or empty
     */
    OptionalInt receiveMaximum();

    /**
     * CONNACK: the highest QoS the server supports (2 when absent).
     *
     * @return the maximum QoS, or empty
     */
    OptionalInt maximumQos();

    /**
     * CONNACK: whether the server supports retained messages (true when absent).
     *
     * @return the flag, or empty
     */
    Optional<Boolean> retainAvailable();

    /**
     * CONNACK: the largest packet the server accepts, in bytes (no limit when absent).
     *
     * @return the size, or empty
     */
    OptionalLong maximumPacketSize();

    /**
     * PUBLISH: the Topic Alias it carried (the client resolves it to the topic name before delivering).
     *
     * @return the alias, or empty
     */
    OptionalInt topicAlias();

    /**
     * CONNACK: the highest topic alias the server accepts (0, none, when absent).
     *
     * @return the Topic Alias Maximum, or empty
     */
    OptionalInt topicAliasMaximum();

    /**
     * CONNACK: whether the server supports wildcard subscriptions (true when absent).
     *
     * @return the flag, or empty
     */
    Optional<Boolean> wildcardSubscriptionAvailable();

    /**
     * CONNACK: whether the server supports subscription identifiers (true when absent).
     *
     * @return the flag, or empty
     */
    Optional<Boolean> subscriptionIdentifiersAvailable();

    /**
     * CONNACK: whether the server supports shared subscriptions (true when absent).
     *
     * @return the flag, or empty
     */
    Optional<Boolean> sharedSubscriptionAvailable();

    /**
     * CONNACK: the basis of a response topic, when the client asked for response information.
     *
     * @return the response information, or empty
     */
    Optional<String> responseInformation();

    /**
     * CONNACK, DISCONNECT: another server to use.
     *
     * @return the server reference, or empty
     */
    Optional<String> serverReference();

    /**
     * CONNACK, AUTH: the authentication method.
     *
     * @return the method, or empty
     */
    Optional<String> authenticationMethod();

    /**
     * CONNACK, AUTH: authentication data (a copy).
     *
     * @return the data, or empty
     */
    Optional<byte[]> authenticationData();

    /**
     * Acknowledgements, DISCONNECT, AUTH: a human-readable reason, for diagnostics only.
     *
     * @return the reason string, or empty
     */
    Optional<String> reasonString();

    /**
     * The properties of a message to publish or of a will, each checked as it is set. Not thread-safe.
     */
    final class Builder {
        private final Properties.Builder b = Properties.builder();

        private Builder() {
        }

        /**
         * The message expires {@code seconds} after the server receives it (0 to 4,294,967,295).
         *
         * @param seconds the interval in seconds
         * @return this builder
         */
        public Builder messageExpiryInterval(long seconds) {
            b.put(Property.MESSAGE_EXPIRY_INTERVAL, seconds);
            return this;
        }

        /**
         * Declares the payload UTF-8 text (true) or unspecified bytes (false).
         *
         * @param utf8 {@code true} for UTF-8 text
         * @return this builder
         */
        public Builder payloadIsUtf8(boolean utf8) {
            b.put(Property.PAYLOAD_FORMAT_INDICATOR, utf8 ? 1 : 0);
            return this;
        }

        /**
         * The content type of the payload, a MIME type for instance.
         *
         * @param type the content type
         * @return this builder
         */
        public Builder contentType(String type) {
            b.put(Property.CONTENT_TYPE, type);
            return this;
        }

        /**
         * The topic name a response should go to.
         *
         * @param topic the response topic
         * @return this builder
         */
        public Builder responseTopic(String topic) {
            dev.wren.mqtt.internal.codec.Topics.checkName("responseTopic", topic);
            b.put(Property.RESPONSE_TOPIC, topic);
            return this;
        }

        /**
         * Data that matches a response to its request.
         *
         * @param data the correlation data (copied)
         * @return this builder
         */
        public Builder correlationData(byte[] data) {
            b.put(Property.CORRELATION_DATA, data);
            return this;
        }

        /**
         * Adds a user property after the ones added before.
         *
         * @param name the property's name
         * @param value the property's value
         * @return this builder
         */
        public Builder userProperty(String name, String value) {
            b.user(name, value);
            return this;
        }

        /**
         * The properties set so far.
         *
         * @return the properties
         */
        public MqttProperties build() {
            return b.build();
        }
    }
}
