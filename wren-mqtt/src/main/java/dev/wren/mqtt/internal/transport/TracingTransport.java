package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Transport;
import dev.wren.mqtt.internal.codec.MalformedPacketException;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Wraps a transport and reports each packet that goes out or comes in, decoded with Wren's own codec, as one line
 * in mosquitto's words (what the command-line tools print for {@code -d}) ("Client x sending PUBLISH (d0, q1, r0, m1, 't', ...
 * (5 bytes))").
 *
 * <p>Not thread-safe, like the transport it wraps.
 */
public final class TracingTransport extends dev.wren.mqtt.ForwardingTransport {
    private final String id;
    private final Consumer<String> out;
    private final PacketDecoder sent;
    private final PacketDecoder received;
    private ByteBuffer sentBytes = ByteBuffer.allocate(1024);
    private ByteBuffer receivedBytes = ByteBuffer.allocate(1024);

    public TracingTransport(Transport inner, String id, ProtocolVersion version, Consumer<String> out) {
        super(inner);
        this.id = id;
        this.out = out;
        this.sent = PacketDecoder.unbounded(PacketDecoder.Role.SERVER, version);
        this.received = PacketDecoder.unbounded(PacketDecoder.Role.CLIENT, version);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int from = dst.position();
        int n = inner.read(dst);
        if (n > 0) {
            ByteBuffer got = dst.duplicate();
            got.limit(dst.position()).position(from);
            receivedBytes = log(received, receivedBytes, got, "received");
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int[] before = new int[length];
        for (int i = 0; i < length; i++) {
            before[i] = srcs[offset + i].position();
        }
        long n = inner.write(srcs, offset, length);
        for (int i = 0; i < length && n > 0; i++) {
            ByteBuffer b = srcs[offset + i].duplicate();
            b.limit(b.position()).position(before[i]);
            if (b.hasRemaining()) {
                sentBytes = log(sent, sentBytes, b, "sending");
            }
        }
        return n;
    }

    private ByteBuffer log(PacketDecoder decoder, ByteBuffer acc, ByteBuffer bytes, String verb) {
        if (acc.remaining() < bytes.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(acc.capacity() * 2, acc.position() + bytes.remaining()));
            acc.flip();
            bigger.put(acc);
            acc = bigger;
        }
        acc.put(bytes);
        acc.flip();
        try {
            Packet p;
            while ((p = decoder.decode(acc)) != null) {
                out.accept("Client " + id + " " + verb + " " + describe(p));
            }
        } catch (MalformedPacketException e) {
            out.accept("Client " + id + " " + verb + " a malformed packet: " + e.getMessage());
        }
        acc.compact();
        return acc;
    }

    /** The packet in mosquitto's {@code -d} style, then its MQTT 5.0 reason code and properties, if any. */
    static String describe(Packet p) {
        dev.wren.mqtt.internal.codec.Properties props = p.properties();
        String reason = p.reasonCode() != 0 || p instanceof Packet.Auth
                ? " rc=0x" + Integer.toHexString(p.reasonCode()) : "";
        return header(p) + reason + (props == null || props.isEmpty() ? "" : " " + props);
    }

    private static String header(Packet p) {
        return switch (p.type()) {
            case PUBLISH -> {
                Packet.Publish pub = (Packet.Publish) p;
                yield "PUBLISH (d" + (pub.dup() ? 1 : 0) + ", q" + pub.qos().code() + ", r" + (pub.retain() ? 1 : 0)
                        + ", m" + pub.packetId() + ", '" + pub.topic() + "', ... (" + pub.payloadLength() + " bytes))";
            }
            case CONNACK -> "CONNACK (" + ((Packet.ConnAck) p).returnCode() + ")";
            case PUBACK -> "PUBACK (Mid: " + ((Packet.PubAck) p).packetId() + ")";
            case PUBREC -> "PUBREC (Mid: " + ((Packet.PubRec) p).packetId() + ")";
            case PUBREL -> "PUBREL (Mid: " + ((Packet.PubRel) p).packetId() + ")";
            case PUBCOMP -> "PUBCOMP (Mid: " + ((Packet.PubComp) p).packetId() + ")";
            case SUBSCRIBE -> {
                Packet.Subscribe s = (Packet.Subscribe) p;
                StringBuilder sb = new StringBuilder("SUBSCRIBE (Mid: " + s.packetId() + ")");
                for (int i = 0; i < s.filters().size(); i++) {
                    sb.append(" ").append(s.filters().get(i)).append(" (QoS ").append(s.qos().get(i).code()).append(')');
                }
                yield sb.toString();
            }
            case SUBACK -> "SUBACK (Mid: " + ((Packet.SubAck) p).packetId() + ", " + ((Packet.SubAck) p).returnCodes() + ")";
            case UNSUBSCRIBE -> "UNSUBSCRIBE (Mid: " + ((Packet.Unsubscribe) p).packetId() + ")";
            case UNSUBACK -> "UNSUBACK (Mid: " + ((Packet.UnsubAck) p).packetId() + ")";
            default -> p.type().name();
        };
    }
}
