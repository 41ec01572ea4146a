package dev.wren.mqtt.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The WebSocket layer on its own, over a scripted in-memory transport: no socket, no server. */
class WebSocketTransportTest {

    /** Hands out the bytes the test queues, and keeps what is written. */
    private static final class Scripted implements Transport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        ByteBuffer toRead = ByteBuffer.allocate(0);

        void answer(byte[] bytes) {
            ByteBuffer b = ByteBuffer.allocate(toRead.remaining() + bytes.length);
            b.put(toRead).put(bytes).flip();
            toRead = b;
        }

        @Override
        public boolean finishConnect() {
            return true;
        }

        @Override
        public int read(ByteBuffer dst) {
            int n = Math.min(dst.remaining(), toRead.remaining());
            ByteBuffer part = toRead.duplicate();
            part.limit(part.position() + n);
            dst.put(part);
            toRead.position(toRead.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining()) {
                    written.write(srcs[i].get());
                    n++;
                }
            }
            return n;
        }

        @Override
        public SelectableChannel channel() {
            return null;
        }

        @Override
        public int interestOps(boolean clientWantsWrite) {
            return 0;
        }

        @Override
        public void awaitReadable(long timeoutMillis) {
        }

        @Override
        public void close() {
        }
    }

    private final Scripted inner = new Scripted();
    private final WebSocketTransport ws = new WebSocketTransport(inner, "broker", 8080, "/mqtt", "mqtt",
            new SecureRandom());

    private static String accept(String key) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String keyOf(String request) {
        Matcher m = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n").matcher(request);
        assertThat(m.find()).as("a key in %s", request).isTrue();
        return m.group(1);
    }

    /** Runs the upgrade of {@code t}: answers its request correctly; returns the request. */
    private String upgrade(WebSocketTransport t) throws Exception {
        assertThat(t.finishConnect()).as("waits for the answer").isFalse();
        String request = inner.written.toString(StandardCharsets.ISO_8859_1);
        inner.written.reset();
        inner.answer(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(keyOf(request)) + "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(t.finishConnect()).isTrue();
        return request;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void theUpgradeOffersTheMqttSubprotocolAndChecksTheAnswer() throws Exception {
        String request = upgrade(ws);
        assertThat(request).startsWith("GET /mqtt HTTP/1.1\r\nHost: broker:8080\r\n")
                .contains("Sec-WebSocket-Protocol: mqtt\r\n") // [MQTT-6.0.0-3]
                .contains("Sec-WebSocket-Version: 13\r\n");
    }

    @Test
    void aWrongAcceptIsRefused() throws Exception {
        ws.finishConnect();
        inner.answer("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: bm90IGl0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(ws::finishConnect).isInstanceOf(IOException.class)
                .hasMessageContaining("Sec-WebSocket-Accept");
    }

    @Test
    void packetsGoOutInMaskedBinaryFrames() throws Exception {
        upgrade(ws);
        byte[] pingreq = {(byte) 0xC0, 0};
        assertThat(ws.write(new ByteBuffer[] {ByteBuffer.wrap(pingreq)}, 0, 1)).isEqualTo(2);
        byte[] frame = inner.written.toByteArray();
        assertThat(frame[0]).as("FIN, binary [MQTT-6.0.0-1]").isEqualTo((byte) 0x82);
        assertThat(frame[1]).as("masked, two bytes").isEqualTo((byte) 0x82);
        assertThat(new byte[] {(byte) (frame[6] ^ frame[2]), (byte) (frame[7] ^ frame[3])}).isEqualTo(pingreq);
    }

    @Test
    void packetsNeedNotAlignWithFrames() throws Exception {
        upgrade(ws);
        // two PINGRESPs in one frame, then a CONNACK split over a frame and a continuation [MQTT-6.0.0-2]
        inner.answer(hex("8204 d000 d000" + "0202 2002" + "8002 0000"));
        ByteBuffer got = ByteBuffer.allocate(16);
        while (ws.read(got) > 0) {
            // as far as it goes
        }
        assertThat(HexFormat.of().formatHex(got.array(), 0, got.position())).isEqualTo("d000d000" + "20020000");
    }

    @Test
    void aTextFrameFromTheServerEndsTheConnection() throws Exception {
        upgrade(ws);
        inner.answer(hex("8102 6869")); // text "hi" [MQTT-6.0.0-1]
        assertThatThrownBy(() -> ws.read(ByteBuffer.allocate(8))).isInstanceOf(IOException.class)
                .hasMessageContaining("opcode 1");
    }

    @Test
    void aMaskedFrameFromTheServerEndsTheConnection() throws Exception {
        upgrade(ws);
        inner.answer(hex("8282 00000000 d000"));
        assertThatThrownBy(() -> ws.read(ByteBuffer.allocate(8))).hasMessageContaining("masked");
    }

    @Test
    void aPingIsAnsweredWithAPongAndACloseEndsTheStream() throws Exception {
        upgrade(ws);
        inner.answer(hex("8901 78" + "8802 03e8"));
        assertThat(ws.read(ByteBuffer.allocate(8))).isEqualTo(-1);
        byte[] sent = inner.written.toByteArray();
        assertThat(sent[0]).as("pong").isEqualTo((byte) 0x8A);
        assertThat((byte) (sent[6] ^ sent[2])).isEqualTo((byte) 'x');
        assertThat(sent[7]).as("then the close answered").isEqualTo((byte) 0x88);
    }
}
