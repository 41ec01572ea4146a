package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The properties of one MQTT 5.0 packet (section 2.2.2), as a value: each at most once unless the specification
 * allows more; user properties and subscription identifiers in the order given. Numbers are {@code Long}s (a
 * four-byte integer is unsigned), strings {@code String}s, binary data {@code byte[]}, user properties
 * {@code String[2]} pairs.
 *
 * <p>Decoding is strict: an unknown identifier, a property not allowed on the packet, a duplicate, a value out of
 * range, a malformed length or string each fail with their own {@link ProtocolViolation}. Immutable.
 */
public final class Properties {
    /** No properties: what a packet that sets none carries (a Property Length of zero [MQTT-2.2.2-1]). */
    public static final Properties NONE = new Properties(new EnumMap<>(Property.class), List.of(), List.of());

    private final EnumMap<Property, Object> single;
    private final List<String[]> userProperties;
    private final List<Long> subscriptionIdentifiers;

    private Properties(EnumMap<Property, Object> single, List<String[]> user, List<Long> subscriptionIds) {
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
    public List<String[]> userProperties() {
        return userProperties;
    }

    /** The subscription identifiers, in the order given. */
    public List<Long> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    public boolean isEmpty() {
        return single.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.isEmpty();
    }

    // ------------------------------------------------------------------ encoding

    /** The Property Length: the bytes of the properties, without the length itself. */
    public int length() {
        int n = 0;
        for (Map.Entry<Property, Object> e : single.entrySet()) {
            n += 1 + valueLength(e.getKey().type(), e.getValue());
        }
        for (String[] pair : userProperties) {
            n += 1 + 4 + Utf8.encodedLength(pair[0]) + Utf8.encodedLength(pair[1]);
        }
        for (long id : subscriptionIdentifiers) {
            n += 1 + VariableByteInteger.size((int) id);
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
        for (Map.Entry<Property, Object> e : single.entrySet()) {
            out.put((byte) e.getKey().id());
            writeValue(e.getKey().type(), e.getValue(), out);
        }
        for (long id : subscriptionIdentifiers) {
            out.put((byte) Property.SUBSCRIPTION_IDENTIFIER.id());
            VariableByteInteger.write((int) id, out);
        }
        for (String[] pair : userProperties) {
            out.put((byte) Property.USER_PROPERTY.id());
            PacketEncoder.writeString(out, pair[0]);
            PacketEncoder.writeString(out, pair[1]);
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
        List<String[]> user = new ArrayList<>(0);
        List<Long> subscriptionIds = new ArrayList<>(0);
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
                user.add(new String[] {string(in, stop, p), string(in, stop, p)});
                continue;
            }
            Object value = readValue(p, in, stop);
            if (p == Property.SUBSCRIPTION_IDENTIFIER && where == Property.Where.PUBLISH) {
                subscriptionIds.add((Long) value);
                continue;
            }
            if (p == Property.SUBSCRIPTION_IDENTIFIER ? !subscriptionIds.isEmpty() : single.containsKey(p)) {
                throw fail(ProtocolViolation.DUPLICATE_PROPERTY, p + " given more than once");
            }
            if (p == Property.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIds.add((Long) value);
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
        for (int i = 0; i < userProperties.size(); i++) {
            if (!Arrays.equals(userProperties.get(i), other.userProperties.get(i))) {
                return false;
            }
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
        userProperties.forEach(u -> sb.append(u[0]).append(':').append(u[1]).append(", "));
        if (sb.length() > 11) {
            sb.setLength(sb.length() - 2);
        }
        return sb.append(']').toString();
    }

    /** Properties to send, each checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final EnumMap<Property, Object> single = new EnumMap<>(Property.class);
        private final List<String[]> user = new ArrayList<>();
        private final List<Long> subscriptionIds = new ArrayList<>();

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
                subscriptionIds.add(value);
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
            user.add(new String[] {name, value});
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
