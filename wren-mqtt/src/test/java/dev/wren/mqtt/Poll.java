package dev.wren.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.util.function.BooleanSupplier;

/**
 * Drives clients the way an application would: select on their channels, then input() and live(), until a
 * condition holds. Fails after a time-out instead of hanging.
 */
final class Poll {
    private Poll() {
    }

    static void until(BooleanSupplier condition, long timeoutMillis, MqttClient... clients) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        try (Selector selector = Selector.open()) {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeoutMillis + " ms");
                }
                long wait = 50;
                for (MqttClient c : clients) {
                    SelectableChannel ch = c.channel();
                    if (ch != null && ch.isOpen()) {
                        try {
                            ch.register(selector, c.interestOps(), c);
                        } catch (ClosedChannelException ignored) {
                            // closed between the check and the registration
                        }
                    }
                    long left = c.keepAliveTimeLeft();
                    if (left >= 0) {
                        wait = Math.min(wait, Math.max(1, left));
                    }
                }
                selector.select(wait);
                selector.selectedKeys().clear();
                for (MqttClient c : clients) {
                    c.input();
                    c.live();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and polls until CONNACK accepted. */
    static void connect(MqttClient client, Events events) {
        client.connect();
        until(() -> client.isConnected() || !client.isOpen(), 10_000, client);
        if (!client.isConnected()) {
            throw new AssertionError("not connected: " + events.all);
        }
    }

    /** Drives a client for a while, whatever happens. */
    static void forMillis(long millis, MqttClient... clients) {
        long end = System.nanoTime() + millis * 1_000_000;
        until(() -> System.nanoTime() > end, millis + 5_000, clients);
    }


    /**
     * Reads what has arrived of {@code client}'s streamed payload, without blocking, a {@code piece} at a time, into
     * {@code crc}; returns the number of bytes read.
     */
    static long readArrivedPayload(MqttClient client, java.nio.ByteBuffer piece, java.util.zip.CRC32 crc) {
        long total = 0;
        int n;
        while (client.payload().remaining() > 0 && (n = client.payload().read(piece.clear())) > 0) {
            piece.flip();
            crc.update(piece);
            total += n;
        }
        return total;
    }
}
