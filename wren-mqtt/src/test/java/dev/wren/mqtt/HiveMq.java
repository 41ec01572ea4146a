package dev.wren.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import dev.wren.testing.Mosquitto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The HiveMQ Community Edition broker embedded in the test JVM, on a free loopback port, with a configuration and data
 * folder of its own and an extension that lets every client in (HiveMQ CE refuses clients when no security extension
 * is present). Started once per test class that uses it; stopped by {@link #close()}.
 */
final class HiveMq implements AutoCloseable {
    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final Path dir;

    private HiveMq(EmbeddedHiveMQ hivemq, int port, Path dir) {
        this.hivemq = hivemq;
        this.port = port;
        this.dir = dir;
    }

    /** Lets every client connect. */
    public static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(
                    providerInput -> (SimpleAuthenticator) (in, out) -> out.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }

    static HiveMq start() {
        try {
            int port = Mosquitto.freePort();
            Path dir = Files.createTempDirectory("wren-hivemq");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                        <listeners>
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                            </tcp-listener>
                        </listeners>
                        <anonymous-usage-statistics>
                            <enabled>false</enabled>
                        </anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port));
            EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(dir.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                    .withEmbeddedExtension(EmbeddedExtension.builder().withId("wren-allow-all")
                            .withName("allow all").withVersion("1").withPriority(0).withStartPriority(1000)
                            .withAuthor("wren").withExtensionMain(new AllowAll()).build())
                    .build();
            hivemq.start().get(60, TimeUnit.SECONDS);
            return new HiveMq(hivemq, port, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start HiveMQ CE: " + e, e);
        }
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop HiveMQ CE: " + e, e);
        }
    }

    Path directory() {
        return dir;
    }
}
