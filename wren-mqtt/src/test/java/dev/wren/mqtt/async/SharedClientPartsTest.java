package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What clients built alike share instead of holding a copy each (an idle connection's heap): their options, and the
 * writer of the in-memory session store.
 */
class SharedClientPartsTest {

    private static AsyncMqttClientBuilder builder(String id) {
        return AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", 1883).clientId(id).build());
    }

    @Test
    void clientsBuiltAlikeShareTheirOptions() {
        assertThat(Options.of(builder("a"))).isSameAs(Options.of(builder("b")));
    }

    @Test
    void aClientBuiltWithAnyOtherSettingGetsOptionsOfItsOwn() {
        Options plain = Options.of(builder("a"));
        Options queue = Options.of(builder("a").maxQueued(7));
        assertThat(queue).isNotSameAs(plain);
        assertThat(queue.maxQueued).isEqualTo(7);
        Executor mine = Runnable::run;
        Options executor = Options.of(builder("a").executor(mine));
        assertThat(executor.executor).isSameAs(mine);
        Options otherExecutor = Options.of(builder("a").executor(Runnable::run));
        assertThat(otherExecutor).as("executors compare by identity").isNotSameAs(executor);
        Options servers = Options.of(builder("a").servers(java.util.List.of("127.0.0.1:1", "127.0.0.1:2")));
        Options otherServers = Options.of(builder("a").servers(java.util.List.of("127.0.0.1:1", "127.0.0.1:3")));
        assertThat(otherServers).isNotSameAs(servers);
        assertThat(Options.of(builder("b").servers(java.util.List.of("127.0.0.1:1", "127.0.0.1:3"))))
                .as("equal servers are shared").isSameAs(otherServers);
    }

    @Test
    void theSharedOptionsDoNotKeepAListenerReachableOnceNoClientUsesThem() throws InterruptedException {
        java.lang.ref.WeakReference<?> listener = optionsWithAListenerOfTheirOwn();
        long deadline = System.currentTimeMillis() + 3_000;
        while (listener.get() != null && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(listener.get()).as("the listener of options no client holds, 3 s on").isNull();
    }

    /** Options made (and so remembered for sharing) with a listener only they hold; a weak reference to it. */
    private static java.lang.ref.WeakReference<?> optionsWithAListenerOfTheirOwn() {
        long[] seen = new long[1];
        java.util.function.Consumer<dev.wren.mqtt.MqttEvent> l = e -> seen[0]++;
        Options.of(builder("a").connectionListener(l));
        return new java.lang.ref.WeakReference<>(l);
    }

    @Test
    void everyClientOnTheInMemoryStoreSharesOneStatelessWriterWhoseUpdatesAreDurableAtOnce() {
        StoreWriter a = StoreWriter.forStore(SessionStore.memory(), "a", e -> { }, null, this, () -> { });
        StoreWriter b = StoreWriter.forStore(SessionStore.memory(), "b", e -> { }, null, new Object(), () -> { });
        assertThat(b).isSameAs(a);
        assertThat(a.durable(a.assigned(1, 1))).isTrue();
        assertThat(b.durable(b.released(1))).isTrue();
        assertThat(a.durable(a.remove(1))).isTrue();
    }

    @Test
    void aClientOnADurableStoreHasAWriterOfItsOwn(@TempDir Path dir) throws Exception {
        SessionStore store = SessionStore.files(Files.createDirectories(dir.resolve("s")));
        StoreWriter a = StoreWriter.forStore(store, "a", e -> { }, null, this, () -> { });
        assertThat(a).isNotSameAs(StoreWriter.forStore(SessionStore.memory(), "m", e -> { }, null, this, () -> { }));
        a.close(1_000);
    }
}
