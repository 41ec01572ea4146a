package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file store per directory at a time: a second one, in this JVM or another process, fails naming the directory
 * instead of interleaving its writes (and its message keys) with the first's; closing the store, closing the
 * client that uses it, or the process ending lets the directory be opened again.
 */
class FileStoreLockTest {

    /** Another process: opens the store in the directory given, says so, and holds it until its input closes. */
    static final class Holder {
        public static void main(String[] args) throws Exception {
            SessionStore store = SessionStore.files(Path.of(args[0]));
            System.out.println("holding");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our input
            }
            store.close();
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryInThisProcessFailsNamingTheDirectory(@TempDir Path dir) {
        SessionStore first = SessionStore.files(dir);
        assertThatThrownBy(() -> SessionStore.files(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sessionStore directory " + dir + " is in use by another SessionStore");
        // the first is untouched by the attempt
        long key = first.add("t", Qos.AT_LEAST_ONCE, false, new byte[] {1});
        assertThat(first.load()).extracting(SessionStore.StoredMessage::key).containsExactly(key);
        first.close();
    }

    @Test
    void closingTheStoreLetsTheDirectoryBeOpenedAgainWithWhatItHolds(@TempDir Path dir) {
        SessionStore first = SessionStore.files(dir);
        long key = first.add("t", Qos.AT_LEAST_ONCE, false, new byte[] {1});
        first.close();
        first.close(); // idempotent
        SessionStore again = SessionStore.files(dir);
        assertThat(again.load()).extracting(SessionStore.StoredMessage::key).containsExactly(key);
        again.close();
    }

    @Test
    void closingTheClientClosesItsStore(@TempDir Path dir) {
        SessionStore store = SessionStore.files(dir);
        AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", 1)
                .clientId("lock").cleanSession(false).build()).sessionStore(store).build();
        assertThatThrownBy(() -> SessionStore.files(dir)).as("held while the client is open")
                .isInstanceOf(IllegalStateException.class);
        client.close();
        SessionStore.files(dir).close();
    }

    @Test
    void aStoreInAnotherProcessHoldsTheDirectoryUntilThatProcessLetsGo(@TempDir Path dir) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("holding");
            assertThatThrownBy(() -> SessionStore.files(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in this process or another");
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();
            SessionStore.files(dir).close();
        } finally {
            holder.destroyForcibly();
        }
    }
}
