package dev.wren.mqtt.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.TwoPublishesServer;
import dev.wren.mqtt.internal.session.ClientProtocol;
import dev.wren.mqtt.internal.session.ProtocolConfig;
import dev.wren.mqtt.internal.session.Session;
import dev.wren.testing.FakeBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Buffers that grow: a transmit buffer during a burst, up to {@code transmitBufferLimit}, and (most of the tests)
 * a receive buffer that grows to take a packet whole, up to {@code receiveBufferLimit}, against a scripted server
 * that sends a 3000-byte PUBLISH in pieces of 500 bytes: the core is driven here at times the test chooses, so that
 * the shrink after a quiet spell is seen without waiting for it.
 */
class GrowingReceiveBufferTest {

    private static final byte[] PAYLOAD = TwoPublishesServer.PAYLOAD;

    private static FakeBroker broker() {
        return TwoPublishesServer.start();
    }

    /** A core and its I/O, as {@code MqttClient} wires them, with the events collected. */
    private static final class Wired {
        final ConnectionIo io;
        final ClientProtocol protocol;
        final List<MqttEvent> events = new ArrayList<>();
        final Runnable deliver;

        Wired(MqttClientConfig config) {
            io = new ConnectionIo(config);
            protocol = new ClientProtocol(ProtocolConfig.of(config), new Session(), io::closeTransport,
                    ByteBuffer.allocateDirect(config.transmitBufferSize()));
            io.attach(protocol);
            deliver = () -> {
                for (MqttEvent e; (e = protocol.pollEvent()) != null; ) {
                    events.add(e);
                    if (e instanceof MqttEvent.Publish p && p.streamed()) {
                        streamedHeader = p;
                        streaming = ByteBuffer.allocate(p.payloadLength());
                        readStreamed(Long.MIN_VALUE);
                    }
                }
            };
        }

        ByteBuffer streaming;
        MqttEvent.Publish streamedHeader;

        /** Reads what there is of a streamed payload; once all is in, adds it as a whole Publish after its header. */
        void readStreamed(long now) {
            if (streaming == null) {
                return;
            }
            if (now == Long.MIN_VALUE) {
                protocol.readPayload(io.rx(), streaming); // inside the handler: from the buffer only
            } else {
                io.readPayload(streaming, now);
            }
            if (!streaming.hasRemaining()) {
                MqttEvent.Publish p = streamedHeader;
                events.add(new MqttEvent.Publish(p.topic(), p.qos(), p.dup(), p.retain(), p.messageId(),
                        p.payloadLength(), streaming.flip()));
                streaming = null;
            }
        }

        void until(BooleanSupplier done, long now) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 5_000;
            while (!done.getAsBoolean()) {
                assertThat(System.currentTimeMillis()).as("waited 5 s; events " + events).isLessThan(deadline);
                readStreamed(now);
                if (io.ready()) {
                    io.readAndHandle(now, deliver);
                }
                io.live(now);
                deliver.run(); // what closing the connection reported
                Thread.sleep(1);
            }
        }

        /** Starts the connection at {@code now} and drives it until the CONNACK is in. */
        Wired connectedUntilConnAck(long now) throws InterruptedException {
            protocol.start(now);
            io.open(now);
            until(() -> events.stream().anyMatch(e -> e instanceof MqttEvent.ConnAck), now);
            return this;
        }

        /** Starts the connection at {@code now} and drives it until {@code publishes} PUBLISH events are in. */
        Wired connectedUntil(long publishes, long now) throws InterruptedException {
            protocol.start(now);
            io.open(now);
            until(() -> publishes() == publishes, now);
            return this;
        }

        /** Sends DISCONNECT and writes it. */
        void disconnect(long now) {
            protocol.disconnect(now);
            io.flushNow(now);
        }

        long publishes() {
            return events.stream().filter(e -> e instanceof MqttEvent.Publish).count();
        }
    }

    private static MqttClientConfig.Builder config(FakeBroker broker) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).receiveBufferSize(128)
                .transmitBufferSize(128).keepAlive(Duration.ofSeconds(30));
    }

    @Test
    void aPublishOverTheBufferButWithinTheLimitArrivesWholeAndTheBufferIsGivenUpAfterAQuietSpell() throws Exception {
        try (FakeBroker broker = broker()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).receiveBufferLimit(8192).build()).connectedUntil(2, now);
            MqttEvent.Publish big = (MqttEvent.Publish) w.events.stream()
                    .filter(e -> e instanceof MqttEvent.Publish).findFirst().orElseThrow();
            assertThat(big.streamed()).isFalse();
            assertThat(big.payloadBytes()).isEqualTo(PAYLOAD);
            assertThat(w.io.rx().capacity()).isEqualTo(4096); // the next power of two that takes the 3006 bytes
            w.io.live(now + ConnectionIo.SHRINK_AFTER_MILLIS - 1);
            assertThat(w.io.rx().capacity()).isEqualTo(4096);
            w.io.live(now + ConnectionIo.SHRINK_AFTER_MILLIS);
            // nothing read or written for as long: the connection is idle, and holds no buffer at all
            assertThat(ConnectionIo.RELEASE_AFTER_MILLIS).isEqualTo(ConnectionIo.SHRINK_AFTER_MILLIS);
            assertThat(w.io.rx().capacity()).isZero();
            assertThat(w.io.buffersReleased()).isTrue();
            w.disconnect(now + ConnectionIo.SHRINK_AFTER_MILLIS);
            broker.await();
        }
    }

    /**
     * After CONNACK the server waits for a SUBSCRIBE, which the client only sends once idle, then answers with SUBACK
     * and a PUBLISH on "t" carrying "hi", and expects DISCONNECT.
     */
    private static FakeBroker subscribeThenPublishServer() {
        return FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            int id = c.expectWithId(FakeBroker.SUBSCRIBE);
            c.send(String.format("9003%04x00", id));
            c.send("3005 000174 6869");
            c.expect(FakeBroker.DISCONNECT);
        });
    }

    @Test
    void anIdleConnectionGivesUpBothBuffersAndTakesThemAgainForTheNextPacketEachWay() throws Exception {
        try (FakeBroker broker = subscribeThenPublishServer()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).receiveBufferLimit(8192).build()).connectedUntilConnAck(now);
            long idle = now + ConnectionIo.RELEASE_AFTER_MILLIS;
            w.io.live(idle - 1);
            assertThat(w.io.buffersReleased()).isFalse();
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            w.io.live(idle);
            assertThat(w.io.buffersReleased()).isTrue();
            assertThat(w.io.rx().capacity()).isZero();
            assertThat(w.protocol.outboundEmpty()).isTrue();

            // a SUBSCRIBE takes a transmit buffer again, and the server's answer a receive buffer
            int id = w.protocol.subscribe(List.of(dev.wren.mqtt.Subscription.of("t", dev.wren.mqtt.Qos.AT_MOST_ONCE)));
            assertThat(id).isPositive();
            assertThat(w.protocol.transmitBufferReleased()).isFalse();
            w.io.flushNow(idle);
            w.until(() -> w.publishes() == 1, idle);
            MqttEvent.Publish p = (MqttEvent.Publish) w.events.stream()
                    .filter(e -> e instanceof MqttEvent.Publish).findFirst().orElseThrow();
            assertThat(p.topic()).isEqualTo("t");
            assertThat(p.payloadAsString()).isEqualTo("hi");
            assertThat(w.events).anyMatch(e -> e instanceof MqttEvent.SubAck s && s.messageId() == id);
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            assertThat(w.io.buffersReleased()).isFalse();

            // busy again: kept while there is traffic, given up again after the next quiet spell
            w.io.live(idle + ConnectionIo.RELEASE_AFTER_MILLIS - 1);
            assertThat(w.io.buffersReleased()).isFalse();
            w.io.live(idle + ConnectionIo.RELEASE_AFTER_MILLIS);
            assertThat(w.io.buffersReleased()).isTrue();
            w.disconnect(idle + ConnectionIo.RELEASE_AFTER_MILLIS);
            broker.await();
        }
    }

    @Test
    void anIdleConnectionTakesBackTheBuffersItGaveUpInsteadOfAllocatingNewOnes() throws Exception {
        // on a thread of its own, whose buffer pool no other test has used
        java.util.concurrent.FutureTask<Void> run = new java.util.concurrent.FutureTask<>(() -> {
            takesBackItsBuffers();
            return null;
        });
        new Thread(run).start();
        try {
            run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    private static void takesBackItsBuffers() throws Exception {
        try (FakeBroker broker = subscribeThenPublishServer()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).receiveBufferLimit(8192).build()).connectedUntilConnAck(now);
            long idle = now + ConnectionIo.RELEASE_AFTER_MILLIS;
            ByteBuffer rxBefore = w.io.rx();
            w.io.live(idle); // both buffers given up, to this thread's pool
            assertThat(w.io.buffersReleased()).isTrue();
            long allocated = dev.wren.mqtt.internal.session.DirectBufferPool.allocated();
            // the next packet each way takes a buffer again: the ones given up, not new ones
            w.protocol.subscribe(List.of(dev.wren.mqtt.Subscription.of("t", dev.wren.mqtt.Qos.AT_MOST_ONCE)));
            w.io.flushNow(idle);
            w.until(() -> w.publishes() == 1, idle);
            assertThat(w.io.buffersReleased()).isFalse();
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            assertThat(w.io.rx()).as("the receive buffer given up").isSameAs(rxBefore);
            assertThat(dev.wren.mqtt.internal.session.DirectBufferPool.allocated()).isEqualTo(allocated);
            MqttEvent.Publish p = (MqttEvent.Publish) w.events.stream()
                    .filter(e -> e instanceof MqttEvent.Publish).findFirst().orElseThrow();
            assertThat(p.payloadAsString()).isEqualTo("hi"); // the pooled buffers carried the bytes intact
            w.disconnect(idle);
            broker.await();
        }
    }

    @Test
    void aQos0MessageToAnIdleConnectionTakesAReceiveBufferAndNoTransmitBuffer() throws Exception {
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            assertThat(released.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            c.send("3005 000174 6869"); // QoS 0: nothing to answer
            c.expect(FakeBroker.DISCONNECT);
        })) {
            long now = 1_000;
            Wired w = new Wired(config(broker).receiveBufferLimit(8192).build()).connectedUntilConnAck(now);
            long idle = now + ConnectionIo.RELEASE_AFTER_MILLIS;
            w.io.live(idle);
            assertThat(w.io.buffersReleased()).isTrue();
            w.io.readAndHandle(idle, w.deliver); // nothing there yet: still no buffer
            assertThat(w.io.buffersReleased()).isTrue();
            released.countDown();
            w.until(() -> w.publishes() == 1, idle);
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            assertThat(w.protocol.transmitBufferReleased()).isTrue();
            w.disconnect(idle);
            broker.await();
        }
    }

    @Test
    void withoutALimitThePollDrivenClientKeepsItsFixedBuffersWhenIdle() throws Exception {
        try (FakeBroker broker = subscribeThenPublishServer()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).build()).connectedUntilConnAck(now);
            w.io.live(now + 2 * ConnectionIo.RELEASE_AFTER_MILLIS); // within the 30 s keep-alive: no PINGREQ
            assertThat(w.io.buffersReleased()).isFalse();
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            w.protocol.subscribe(List.of(dev.wren.mqtt.Subscription.of("t", dev.wren.mqtt.Qos.AT_MOST_ONCE)));
            w.io.flushNow(now);
            w.until(() -> w.publishes() == 1, now);
            w.disconnect(now);
            broker.await();
        }
    }

    @Test
    void aPublishOverTheLimitIsStreamedAndTheBufferDoesNotGrowForItWhenItsHeaderFits() throws Exception {
        try (FakeBroker broker = broker()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).receiveBufferLimit(1024).build()).connectedUntil(3, now);
            MqttEvent.Publish big = (MqttEvent.Publish) w.events.stream()
                    .filter(e -> e instanceof MqttEvent.Publish).findFirst().orElseThrow();
            assertThat(big.streamed()).isTrue();
            MqttEvent.Publish read = (MqttEvent.Publish) w.events.stream()
                    .filter(e -> e instanceof MqttEvent.Publish).skip(1).findFirst().orElseThrow();
            assertThat(read.payloadBytes()).isEqualTo(PAYLOAD);
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            w.disconnect(now);
            broker.await();
        }
    }

    @Test
    void aGrownBufferIsGivenBackWhenTheConnectionEnds() throws Exception {
        try (FakeBroker broker = broker()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).receiveBufferLimit(8192).build()).connectedUntil(2, now);
            assertThat(w.io.rx().capacity()).isEqualTo(4096);
            w.disconnect(now);
            w.until(() -> w.events.stream().anyMatch(e -> e instanceof MqttEvent.Disconnect d
                    && d.reason() == DisconnectReason.NORMAL), now);
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            broker.await();
        }
    }

    @Test
    void withoutALimitThePollDrivenBufferStaysAtItsSizeAndStreams() throws Exception {
        try (FakeBroker broker = broker()) {
            long now = 1_000;
            Wired w = new Wired(config(broker).build()).connectedUntil(3, now);
            assertThat(((MqttEvent.Publish) w.events.stream().filter(e -> e instanceof MqttEvent.Publish)
                    .findFirst().orElseThrow()).streamed()).isTrue();
            assertThat(w.io.rx().capacity()).isEqualTo(128);
            w.disconnect(now);
            broker.await();
        }
    }

    @Test
    void aLimitBelowTheBufferSizeFailsAtBuildTimeNamingBothFields() {
        assertThatThrownBy(() -> MqttClientConfig.builder().broker("127.0.0.1", 1883).receiveBufferSize(8192)
                .receiveBufferLimit(4096).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("receiveBufferLimit").hasMessageContaining("receiveBufferSize");
        assertThatThrownBy(() -> MqttClientConfig.builder().receiveBufferLimit(8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receiveBufferLimit");
    }

    @Test
    void aTransmitBufferThatGrewForABurstGoesBackToItsSizeAfterASpellWithoutNeedingMore() throws Exception {
        java.util.concurrent.atomic.AtomicInteger packets = new java.util.concurrent.atomic.AtomicInteger();
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            packets.set(c.drainUntilClosed());
        })) {
            long now = 1_000;
            Wired w = new Wired(config(broker).transmitBufferLimit(4096).build()).connectedUntilConnAck(now);
            int n = 0;
            while (w.protocol.publish("t", dev.wren.mqtt.Qos.AT_MOST_ONCE, false,
                    ByteBuffer.wrap(new byte[10])) != ClientProtocol.WOULD_BLOCK) {
                n++; // nothing written meanwhile: a 15-byte packet each, 273 fit 4096 bytes
            }
            assertThat(n).isEqualTo(4096 / 15);
            assertThat(w.protocol.transmitBufferCapacity()).isEqualTo(4096);
            w.io.flushNow(now);
            w.until(() -> w.protocol.outboundEmpty(), now);
            w.io.live(now + ConnectionIo.SHRINK_AFTER_MILLIS); // the spell in which it grew: kept
            assertThat(w.protocol.transmitBufferCapacity()).isEqualTo(4096);
            w.protocol.publish("t", dev.wren.mqtt.Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[10]));
            w.io.flushNow(now + ConnectionIo.SHRINK_AFTER_MILLIS);
            w.io.live(now + 2 * ConnectionIo.SHRINK_AFTER_MILLIS); // a spell of small writes only: back to 128
            assertThat(w.protocol.transmitBufferCapacity()).isLessThanOrEqualTo(128);
            assertThat(w.protocol.publish("t", dev.wren.mqtt.Qos.AT_MOST_ONCE, false,
                    ByteBuffer.wrap(new byte[10]))).isZero();
            assertThat(w.protocol.transmitBufferCapacity()).isEqualTo(128);
            w.disconnect(now + 2 * ConnectionIo.SHRINK_AFTER_MILLIS);
            broker.await();
        }
        assertThat(packets.get()).isEqualTo(4096 / 15 + 3); // every publish, then DISCONNECT
    }
}
