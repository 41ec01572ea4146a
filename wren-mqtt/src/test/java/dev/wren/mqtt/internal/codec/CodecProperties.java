package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the codec over many generated inputs. Each run uses fixed seeds (0..N-1), so a failure names the
 * seed that reproduces it. (Written as plain seeded JUnit tests: see CONFORMANCE.md on why not jqwik.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecProperties {

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < 200; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void serverPacketsRoundTripInAnyChunking(long seed) throws Exception {
        assertRoundTripInRandomChunks(new Random(seed), RandomPackets::fromServer, PacketDecoder.Role.CLIENT);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void clientPacketsRoundTripInAnyChunking(long seed) throws Exception {
        assertRoundTripInRandomChunks(new Random(seed), RandomPackets::fromClient, PacketDecoder.Role.SERVER);
    }

    /** Twenty random packets, encoded as one stream, decode to the same packets when fed in chunks of one size. */
    private static void assertRoundTripInRandomChunks(Random r, java.util.function.Function<Random, Packet> randomPacket,
                                                      PacketDecoder.Role decoderRole) throws Exception {
        List<Packet> packets = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            Packet p = randomPacket.apply(r);
            packets.add(p);
            stream.writeBytes(Feed.encode(p));
        }
        PacketDecoder d = PacketDecoder.unbounded(decoderRole, ProtocolVersion.MQTT_3_1_1);
        assertThat(Feed.chunked(d, stream.toByteArray(), 1 + r.nextInt(40))).containsExactlyElementsOf(packets);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBytesEndInPacketsOrTheCodecsOwnErrorAndNeverLoop(long seed) {
        Random r = new Random(seed);
        byte[] junk = new byte[1 + r.nextInt(2048)];
        r.nextBytes(junk);
        if (r.nextBoolean()) {
            junk[0] = (byte) ((2 + r.nextInt(12)) << 4); // a plausible type, so decoding goes deeper
        }
        assertOnlyCodecOutcomes(junk, r);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedValidStreamsEndInPacketsOrTheCodecsOwnError(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            stream.writeBytes(Feed.encode(RandomPackets.fromServer(r)));
        }
        byte[] bytes = stream.toByteArray();
        int mutations = 1 + r.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = r.nextInt(bytes.length);
            switch (r.nextInt(3)) {
                case 0 -> bytes[at] = (byte) r.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << r.nextInt(8));
                default -> bytes = java.util.Arrays.copyOf(bytes, Math.max(1, at)); // truncate
            }
        }
        assertOnlyCodecOutcomes(bytes, r);
    }

    /**
     * Decodes in random chunks with a small streaming buffer: every call returns a packet (and consumes bytes),
     * returns null (and consumes none), or throws MalformedPacketException; streamed payloads are skipped; total
     * allocation stays proportional to the input, whatever lengths it claims.
     */
    private static void assertOnlyCodecOutcomes(byte[] bytes, Random r) {
        PacketDecoder d = new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1,
                PacketEncoder.MAX_REMAINING_LENGTH + 5, 64);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.limit(0);
        int calls = 0;
        try {
            while (buf.limit() < bytes.length) {
                buf.limit(Math.min(bytes.length, buf.limit() + 1 + r.nextInt(64)));
                while (true) {
                    if (++calls > 100_000) {
                        throw new AssertionError("decoder looped");
                    }
                    if (d.payloadRemaining() > 0) {
                        if (d.skipPayload(buf) == 0) {
                            break;
                        }
                        continue;
                    }
                    int pos = buf.position();
                    Packet p = d.decode(buf);
                    if (p == null) {
                        assertThat(buf.position()).isEqualTo(pos);
                        break;
                    }
                    assertThat(buf.position()).isGreaterThan(pos);
                }
            }
        } catch (MalformedPacketException expected) {
            assertThat(expected.violation()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).isLessThan(256L * 1024 + 64L * bytes.length);
    }

    /** Random well-formed packets. */
    static final class RandomPackets {
        private RandomPackets() {
        }

        static Packet fromServer(Random r) {
            int id = 1 + r.nextInt(65535);
            return switch (r.nextInt(9)) {
                case 0 -> {
                    int code = r.nextInt(6);
                    yield new Packet.ConnAck(code == 0 && r.nextBoolean(), code);
                }
                case 1, 2 -> publish(r);
                case 3 -> new Packet.PubAck(id);
                case 4 -> new Packet.PubRec(id);
                case 5 -> new Packet.PubRel(id);
                case 6 -> new Packet.PubComp(id);
                case 7 -> {
                    List<Integer> codes = new ArrayList<>();
                    int n = 1 + r.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        int c = r.nextInt(4);
                        codes.add(c == 3 ? 0x80 : c);
                    }
                    yield new Packet.SubAck(id, codes);
                }
                default -> r.nextBoolean() ? new Packet.UnsubAck(id) : Packet.PingResp.INSTANCE;
            };
        }

        static Packet fromClient(Random r) {
            int id = 1 + r.nextInt(65535);
            return switch (r.nextInt(9)) {
                case 0 -> new Packet.Connect(ProtocolVersion.MQTT_3_1_1, string(r, false), r.nextBoolean(),
                        r.nextInt(65536), null, null, Qos.AT_MOST_ONCE, false,
                        r.nextBoolean() ? string(r, false) : null, null);
                case 1 -> {
                    Qos q = Qos.of(r.nextInt(3));
                    byte[] msg = new byte[r.nextInt(50)];
                    r.nextBytes(msg);
                    String user = r.nextBoolean() ? string(r, false) : null;
                    yield new Packet.Connect(ProtocolVersion.MQTT_3_1_1, string(r, false), true, r.nextInt(65536),
                            topic(r), msg, q, r.nextBoolean(), user, user != null && r.nextBoolean() ? msg : null);
                }
                case 2, 3 -> publish(r);
                case 4 -> new Packet.PubAck(id);
                case 5 -> new Packet.PubRel(id);
                case 6 -> {
                    int n = 1 + r.nextInt(5);
                    List<String> filters = new ArrayList<>();
                    List<Qos> qos = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        filters.add(r.nextBoolean() ? topic(r) + "/#" : "+/" + topic(r));
                        qos.add(Qos.of(r.nextInt(3)));
                    }
                    yield new Packet.Subscribe(id, filters, qos);
                }
                case 7 -> new Packet.Unsubscribe(id, List.of(topic(r), topic(r) + "/+"));
                default -> r.nextBoolean() ? Packet.PingReq.INSTANCE : Packet.Disconnect.INSTANCE;
            };
        }

        static Packet.Publish publish(Random r) {
            Qos q = Qos.of(r.nextInt(3));
            byte[] payload = new byte[r.nextInt(10) == 0 ? r.nextInt(20000) : r.nextInt(100)];
            r.nextBytes(payload);
            return Packet.Publish.of(topic(r), q, q != Qos.AT_MOST_ONCE && r.nextBoolean(), r.nextBoolean(),
                    q == Qos.AT_MOST_ONCE ? 0 : 1 + r.nextInt(65535), payload);
        }

        static String topic(Random r) {
            return "t" + string(r, false).replace('+', 'p').replace('#', 'h');
        }

        /** A string of random code points from several planes, never U+0000 or a lone surrogate. */
        static String string(Random r, boolean allowEmpty) {
            StringBuilder sb = new StringBuilder();
            int n = (allowEmpty ? 0 : 1) + r.nextInt(12);
            for (int i = 0; i < n; i++) {
                int cp = switch (r.nextInt(4)) {
                    case 0 -> 0x20 + r.nextInt(0x5F);
                    case 1 -> 0x80 + r.nextInt(0x780);
                    case 2 -> {
                        int c = 0x800 + r.nextInt(0xF800);
                        yield c >= 0xD800 && c <= 0xDFFF ? 0x4E2D : c;
                    }
                    default -> 0x10000 + r.nextInt(0x100000);
                };
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        }
    }
}
