package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Drives protocol cores in tests: bytes in as hex, bytes out as hex, the time given by hand, events collected. No
 * sockets, no threads. Not thread-safe.
 */
final class ProtocolHarness {
    final List<MqttEvent> events = new ArrayList<>();
    long now = 1_000;

    ClientProtocol core(ProtocolConfig config) {
        return new ClientProtocol(config, new Session(), () -> { }, ByteBuffer.allocate(config.transmitBufferSize()));
    }

    /** Takes everything the core wants to send, as hex. */
    String sent(ClientProtocol s) {
        String hex = written(s, now);
        drain(s); // a write may end the connection (a DISCONNECT gone out)
        return hex;
    }

    /** Takes everything {@code s} wants to send, as if the socket took it all at {@code now}, as hex. */
    static String written(ClientProtocol s, long now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!s.outboundEmpty()) {
            int n = s.gather();
            long total = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer b = s.segments()[i];
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.writeBytes(bytes);
                total += bytes.length;
            }
            s.written(total, now);
        }
        return HexFormat.of().formatHex(out.toByteArray());
    }

    /** Feeds {@code hex} and collects the events it caused. */
    void feed(ClientProtocol s, String hex) {
        s.receive(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))), now);
        drain(s);
    }

    /** Collects the events {@code s} holds. */
    List<MqttEvent> drain(ClientProtocol s) {
        for (MqttEvent e; (e = s.pollEvent()) != null; ) {
            events.add(e);
        }
        return events;
    }
}
