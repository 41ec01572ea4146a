package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.UserProperty;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The properties of one MQTT 5.0 packet (section 2.2.2), as a value: each at most once unless the specification
 * allows more; user properties and subscription identifiers in the order given. Numbers are {@code Long}s (a
 * four-byte integer is unsigned), strings {@code String}s, binary data {@code byte[]}, user properties
 * {@link UserProperty} values. The public face is {@link MqttProperties}.
 *
 * <p>Decoding is strict: an unknown identifier, a property not allowed on the packet, a duplicate, a value out of
 * range, a malformed length or string each fail with their own {@link ProtocolViolation}. Immutable.
 */
public final class Properties implements MqttProperties {
    /** No properties: what a packet that sets none carries (a Property Length of zero [MQTT-2.2.2-1]). */
    public static final Properties NONE = new Properties(new EnumMap<>(Property.class), List.of(), List.of());

    private final EnumMap<Property, Object> single;
    private final List<UserProperty> userProperties;
    private final List<Integer> subscriptionIdentifiers;
    /** {@link #length()} once worked out; -1 before. */
    private int length = -1;

    private Properties(EnumMap<Property, Object> single, List<UserProperty> user, List<Integer> subscriptionIds) {
        this.single = single;
        this.userProperties = user;
        this.subscriptionIdentifiers = subscriptionIds;
    }

    /** A builder for properties to send. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /** The value of a property that appears at most once, or null. */
    public Object get(Property p) {
        return single.get(p);
    }

    /** The user properties, name and value, in the order given. */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /** The subscription identifiers, in the order given. */
    public List<Integer> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    public boolean isEmpty() {
        return single.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.isEmpty();
    }

    // ------------------------------------------------------------------ typed access (MqttProperties)

    private OptionalLong number(Property p) {
        Object v = single.get(p);
        return v == null ? OptionalLong.empty() : OptionalLong.of((Long) v);
    }

    private OptionalInt smallNumber(Property p) {
        Object v = single.get(p);
        return v == null ? OptionalInt.empty() : OptionalInt.of((int) (long) (Long) v);
    }

    private Optional<Boolean> flag(Property p) {
        Object v = single.get(p);
        return v == null ? Optional.empty() : Optional.of((Long) v == 1L);
    }

    private Optional<String> text(Property p) {
        return Optional.ofNullable((String) single.get(p));
    }

    private Optional<byte[]> bytes(Property p) {
        byte[] v = (byte[]) single.get(p);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    @Override public OptionalLong messageExpiryInterval() { return number(Property.MESSAGE_EXPIRY_INTERVAL); }
    @Override public boolean payloadIsUtf8() { return flag(Property.PAYLOAD_FORMAT_INDICATOR).orElse(false); }
    @Override public Optional<String> contentType() { return text(Property.CONTENT_TYPE); }
    @Override public Optional<String> responseTopic() { return text(Property.RESPONSE_TOPIC); }
    @Override public Optional<byte[]> correlationData() { return bytes(Property.CORRELATION_DATA); }
    @Override public OptionalLong sessionExpiryInterval() { return number(Property.SESSION_EXPIRY_INTERVAL); }
    @Override public Optional<String> assignedClientIdentifier() { return text(Property.ASSIGNED_CLIENT_IDENTIFIER); }
    @Override public OptionalInt serverKeepAlive() { return smallNumber(Property.SERVER_KEEP_ALIVE); }
    @Override public OptionalInt receiveMaximum() { return smallNumber(Property.RECEIVE_MAXIMUM); }
    @Override public OptionalInt maximumQos() { return smallNumber(Property.MAXIMUM_QOS); }
    @Override public Optional<Boolean> retainAvailable() { return flag(Property.RETAIN_AVAILABLE); }
    @Override public OptionalLong maximumPacketSize() { return number(Property.MAXIMUM_PACKET_SIZE); }
    @Override public OptionalInt topicAlias() { return smallNumber(Property.TOPIC_ALIAS); }
    @Override public OptionalInt topicAliasMaximum() { return smallNumber(Property.TOPIC_ALIAS_MAXIMUM); }
    @Override public Optional<Boolean> wildcardSubscriptionAvailable() {
        return flag(Property.WILDCARD_SUBSCRIPTION_AVAILABLE);
    }
    @Override public Optional<Boolean> subscriptionIdentifiersAvailable() {
        return flag(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE);
    }
    @Override public Optional<Boolean> sharedSubscriptionAvailable() {
        return flag(Property.SHARED_SUBSCRIPTION_AVAILABLE);
    }
    @Override public Optional<String> responseInformation() { return text(Property.RESPONSE_INFORMATION); }
    @Override public Optional<String> serverReference() { return text(Property.SERVER_REFERENCE); }
    @Override public Optional<String> authenticationMethod() { return text(Property.AUTHENTICATION_METHOD); }
    @Override public Optional<byte[]> authenticationData() { return bytes(Property.AUTHENTICATION_DATA); }
    @Override public Optional<String> reasonString() { return text(Property.REASON_STRING); }

    /** The Topic Alias, or 0 for none. */
    public int topicAliasOrZero() {
        Object v = single.get(Property.TOPIC_ALIAS);
        return v == null ? 0 : (int) (long) (Long) v;
    }

    /** These properties with {@code p} (a number-typed one) set to {@code value}. */
    public Properties with(Property p, long value) {
        if (p == Property.SUBSCRIPTION_IDENTIFIER) {
            List<Integer> ids = new ArrayList<>(subscriptionIdentifiers);
            ids.add((int) value);
            return new Properties(single, userProperties, List.copyOf(ids));
        }
        EnumMap<Property, Object> copy = new EnumMap<>(Property.class);
        copy.putAll(single);
        copy.put(p, value);
        return new Properties(copy, userProperties, subscriptionIdentifiers);
    }

    /** These properties without {@code p}. */
    public Properties without(Property p) {
        if (!single.containsKey(p)) {
            return this;
        }
        EnumMap<Property, Object> copy = new EnumMap<>(Property.class);
        copy.putAll(single);
        copy.remove(p);
        return copy.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.isEmpty() ? NONE
                : new Properties(copy, userProperties, subscriptionIdentifiers);
    }

    // ------------------------------------------------------------------ encoding

    /**
     * The Property Length: the bytes of the properties, without the length itself. Worked out once (the properties
     * are immutable): every 5.0 PUBLISH asks it twice, and walking an {@link EnumMap}, even an empty one, scans
     * every slot.
     */
    public int length() {
        int n = length;
        if (n < 0) {
            n = computeLength();
            length = n; // a race only computes the same value twice
        }
        return n;
    }

    private int computeLength() {
        int n = 0;
        for (Map.Entry<Property, Object> e : single.entrySet()) {
            n += 1 + valueLength(e.getKey().type(), e.getValue());
        }
        for (UserProperty pair : userProperties) {
            n += 1 + 4 + Utf8.encodedLength(pair.name()) + Utf8.encodedLength(pair.value());
        }
        for (int id : subscriptionIdentifiers) {
            n += 1 + VariableByteInteger.size(id);
        }
        return n;
    }

    /** The whole encoding: Property Length, then the properties. */
    public int encodedLength() {
        int n = length();
        return VariableByteInteger.size(n) + n;
    }

    /** Writes the Property Length and the properties. */
    public void encode(ByteBuffer out) {
        VariableByteInteger.write(length(), out);
        encodeBody(out);
    }

    /** Writes the properties without their Property Length. */
    public void encodeBody(ByteBuffer out) {
        if (length() == 0) {
            return;
        }
        for (Map.Entry<Property, Object> e : single.entrySet()) {
            out.put((byte) e.getKey().id());
            writeValue(e.getKey().type(), e.getValue(), out);
        }
        for (int id : subscriptionIdentifiers) {
            out.put((byte) Property.SUBSCRIPTION_IDENTIFIER.id());
            VariableByteInteger.write(id, out);
        }
        for (UserProperty pair : userProperties) {
            out.put((byte) Property.USER_PROPERTY.id());
            PacketEncoder.writeString(out, pair.name());
            PacketEncoder.writeString(out, pair.value());
        }
    }

    private static int valueLength(Property.Type t, Object v) {
        return switch (t) {
            case BYTE -> 1;
            case TWO_BYTE -> 2;
            case FOUR_BYTE -> 4;
            case VARIABLE -> VariableByteInteger.size((int) (long) (Long) v);
            case UTF8 -> 2 + Utf8.encodedLength((String) v);
            case BINARY -> 2 + ((byte[]) v).length;
            case UTF8_PAIR -> throw new AssertionError("user properties are kept apart");
        };
    }

    private static void writeValue(Property.Type t, Object v, ByteBuffer out) {
        switch (t) {
            case BYTE -> out.put((byte) (long) (Long) v);
            case TWO_BYTE -> out.putShort((short) (long) (Long) v);
            case FOUR_BYTE -> out.putInt((int) (long) (Long) v);
            case VARIABLE -> VariableByteInteger.write((int) (long) (Long) v, out);
            case UTF8 -> PacketEncoder.writeString(out, (String) v);
            case BINARY -> PacketEncoder.writeBinary(out, (byte[]) v);
            case UTF8_PAIR -> throw new AssertionError("user properties are kept apart");
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Reads a Property Length and the properties after it, from {@code in}'s position, for a packet of kind
     * {@code where} that ends at {@code end}; advances the position past them.
     */
    public static Properties decode(ByteBuffer in, int end, Property.Where where) throws MalformedPacketException {
        int length = VariableByteInteger.read(in, end);
        if (length > end - in.position()) {
            throw fail(ProtocolViolation.MALFORMED_PROPERTIES, "a Property Length of " + length + " with "
                    + (end - in.position()) + " bytes left in the packet");
        }
        if (length == 0) {
            return NONE;
        }
        int stop = in.position() + length;
        EnumMap<Property, Object> single = new EnumMap<>(Property.class);
        List<UserProperty> user = new ArrayList<>(0);
        List<Integer> subscriptionIds = new ArrayList<>(0);
        while (in.position() < stop) {
            int id = VariableByteInteger.read(in, stop); // an identifier is a variable byte integer (2.2.2.2)
            Property p = Property.of(id);
            if (p == null) {
                throw fail(ProtocolViolation.UNKNOWN_PROPERTY, "property identifier 0x" + Integer.toHexString(id)
                        + " is not defined by MQTT 5.0");
            }
            if (!p.allowedIn(where)) {
                throw fail(ProtocolViolation.PROPERTY_NOT_ALLOWED, p + " may not appear on " + where);
            }
            if (p == Property.USER_PROPERTY) {
                user.add(new UserProperty(string(in, stop, p), string(in, stop, p)));
                continue;
            }
            Object value = readValue(p, in, stop);
            if (p == Property.SUBSCRIPTION_IDENTIFIER && where == Property.Where.PUBLISH) {
                subscriptionIds.add((int) (long) (Long) value);
                continue;
            }
            if (p == Property.SUBSCRIPTION_IDENTIFIER ? !subscriptionIds.isEmpty() : single.containsKey(p)) {
                throw fail(ProtocolViolation.DUPLICATE_PROPERTY, p + " given more than once");
            }
            if (p == Property.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIds.add((int) (long) (Long) value);
            } else {
                single.put(p, value);
            }
        }
        if (in.position() != stop) {
            throw fail(ProtocolViolation.MALFORMED_PROPERTIES, "the last property runs past the Property Length");
        }
        return new Properties(single, user.isEmpty() ? List.of() : List.copyOf(user),
                subscriptionIds.isEmpty() ? List.of() : List.copyOf(subscriptionIds));
    }

    private static Object readValue(Property p, ByteBuffer in, int stop) throws MalformedPacketException {
        long v;
        switch (p.type()) {
            case BYTE -> v = need(in, stop, 1, p).get() & 0xFFL;
            case TWO_BYTE -> v = need(in, stop, 2, p).getShort() & 0xFFFFL;
            case FOUR_BYTE -> v = need(in, stop, 4, p).getInt() & 0xFFFF_FFFFL;
            case VARIABLE -> v = VariableByteInteger.read(in, stop);
            case UTF8 -> {
                return string(in, stop, p);
            }
            case BINARY -> {
                int len = need(in, stop, 2, p).getShort() & 0xFFFF;
                need(in, stop, len, p); // before allocating what the length field claims
                byte[] data = new byte[len];
                in.get(data);
                return data;
            }
            default -> throw new AssertionError(p);
        }
        if (!p.allows(v)) {
            throw fail(ProtocolViolation.PROPERTY_VALUE_OUT_OF_RANGE, p + " of " + v + " is not allowed");
        }
        return v;
    }

    private static String string(ByteBuffer in, int stop, Property p) throws MalformedPacketException {
        int len = need(in, stop, 2, p).getShort() & 0xFFFF;
        need(in, stop, len, p);
        String s = Utf8.decode(in, in.position(), len, null);
        in.position(in.position() + len);
        return s;
    }

    /** {@code in}, after checking that {@code n} more bytes lie before {@code stop}. */
    private static ByteBuffer need(ByteBuffer in, int stop, int n, Property p) throws MalformedPacketException {
        if (stop - in.position() < n) {
            throw fail(ProtocolViolation.MALFORMED_PROPERTIES, p + " runs past the Property Length");
        }
        return in;
    }

    private static MalformedPacketException fail(ProtocolViolation v, String message) {
        return new MalformedPacketException(v, message);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Properties other) || !subscriptionIdentifiers.equals(other.subscriptionIdentifiers)
                || userProperties.size() != other.userProperties.size() || !single.keySet().equals(other.single.keySet())) {
            return false;
        }
        if (!userProperties.equals(other.userProperties)) {
            return false;
        }
        for (Map.Entry<Property, Object> e : single.entrySet()) {
            Object a = e.getValue();
            Object b = other.single.get(e.getKey());
            if (a instanceof byte[] x ? !(b instanceof byte[] y && Arrays.equals(x, y)) : !Objects.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(single.keySet(), userProperties.size(), subscriptionIdentifiers);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Properties[");
        single.forEach((k, v) -> sb.append(k).append('=').append(v instanceof byte[] b ? b.length + " bytes" : v)
                .append(", "));
        subscriptionIdentifiers.forEach(id -> sb.append("SUBSCRIPTION_IDENTIFIER=").append(id).append(", "));
        userProperties.forEach(u -> sb.append(u.name()).append(':').append(u.value()).append(", "));
        if (sb.length() > 11) {
            sb.setLength(sb.length() - 2);
        }
        return sb.append(']').toString();
    }

    /** Properties to send, each checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final EnumMap<Property, Object> single = new EnumMap<>(Property.class);
        private final List<UserProperty> user = new ArrayList<>();
        private final List<Integer> subscriptionIds = new ArrayList<>();

        private Builder() {
        }

        /** Sets a number-typed property; checks its range. */
        public Builder put(Property p, long value) {
            long max = switch (p.type()) {
                case BYTE -> 0xFF;
                case TWO_BYTE -> 0xFFFF;
                case FOUR_BYTE -> 0xFFFF_FFFFL;
                case VARIABLE -> VariableByteInteger.MAX;
                default -> throw new IllegalArgumentException(p + " is not a number");
            };
            if (value < 0 || value > max || !p.allows(value)) {
                throw new IllegalArgumentException(p + " of " + value + " is not allowed");
            }
            if (p == Property.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIds.add((int) value);
            } else {
                single.put(p, value);
            }
            return this;
        }

        /** Sets a string property (checked as an MQTT string). */
        public Builder put(Property p, String value) {
            if (p.type() != Property.Type.UTF8) {
                throw new IllegalArgumentException(p + " is not a string");
            }
            if (Utf8.encodedLength(value) > Utf8.MAX_STRING_BYTES) {
                throw new IllegalArgumentException(p + " is longer than 65535 bytes in UTF-8");
            }
            single.put(p, value);
            return this;
        }

        /** Sets a binary property. */
        public Builder put(Property p, byte[] value) {
            if (p.type() != Property.Type.BINARY || value.length > 65535) {
                throw new IllegalArgumentException(p + " is not binary data of at most 65535 bytes");
            }
            single.put(p, value.clone());
            return this;
        }

        /** Adds a user property after those added before. */
        public Builder user(String name, String value) {
            Utf8.encodedLength(name);
            Utf8.encodedLength(value);
            user.add(new UserProperty(name, value));
            return this;
        }

        public Properties build() {
            if (single.isEmpty() && user.isEmpty() && subscriptionIds.isEmpty()) {
                return NONE;
            }
            return new Properties(new EnumMap<>(single), List.copyOf(user), List.copyOf(subscriptionIds));
        }
    }
}
