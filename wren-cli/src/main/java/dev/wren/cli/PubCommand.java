package dev.wren.cli;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code wren pub}: publish one message, a file, stdin, or stdin line by line; mosquitto_pub's flags. */
@Command(name = "pub", description = "Publish messages, with mosquitto_pub's flags.")
final class PubCommand implements Callable<Integer> {
    @ParentCommand
    Wren wren;

    @Mixin
    ClientOptions client;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "-t", paramLabel = "topic", description = "topic to publish to")
    String topic;

    @Option(names = "-m", paramLabel = "message", description = "message to send")
    String message;

    @Option(names = "-f", paramLabel = "file", description = "send the contents of a file as the message")
    Path file;

    @Option(names = "-l", description = "send each line of stdin as a message")
    boolean lines;

    @Option(names = "-n", description = "send a null (zero length) message")
    boolean nullMessage;

    @Option(names = "-s", description = "send all of stdin as one message")
    boolean stdin;

    @Option(names = "-r", description = "retain the message")
    boolean retain;

    @Option(names = "--repeat", paramLabel = "count", description = "publish the message count times (with -m, -f, "
            + "-n or -s), as mosquitto_pub 2.0")
    int repeat = 1;

    @Option(names = "--repeat-delay", paramLabel = "seconds", description = "wait this long between repeated "
            + "publishes (fractions allowed)")
    double repeatDelay;

    @Override
    public Integer call() throws Exception {
        int sources = (message != null ? 1 : 0) + (file != null ? 1 : 0) + (lines ? 1 : 0) + (nullMessage ? 1 : 0)
                + (stdin ? 1 : 0);
        if (sources != 1) {
            throw new UsageException("exactly one of -m, -f, -l, -n or -s is needed");
        }
        if (repeat < 1) {
            throw new UsageException("--repeat must be at least 1, was " + repeat);
        }
        if (repeatDelay < 0) {
            throw new UsageException("--repeat-delay must not be negative, was " + repeatDelay);
        }
        if (lines && repeat > 1) {
            throw new UsageException("--repeat works with -m, -f, -n or -s, not -l");
        }
        MqttClientConfig config = client.config("wren-pub-", wren.out);
        String t = topic != null ? topic : client.urlTopic;
        if (t == null) {
            throw new UsageException("a topic is needed: -t or -L");
        }
        Qos qos = client.qos();
        dev.wren.mqtt.MqttProperties props = client.publishProperties();
        byte[] fileBytes = null;
        if (file != null) {
            try {
                fileBytes = Files.readAllBytes(file); // before connecting: a missing file is the user's to fix
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("-f " + file + ": no such file");
            } catch (java.nio.file.AccessDeniedException e) {
                throw new UsageException("-f " + file + ": permission denied");
            } catch (java.io.IOException e) {
                throw new UsageException("-f " + file + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        try (AsyncMqttClient c = AsyncMqttClient.builder(config).automaticReconnect(false).build()) {
            c.connect().get(30, TimeUnit.SECONDS);
            if (lines) {
                BufferedReader r = new BufferedReader(new InputStreamReader(wren.in, StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null) {
                    c.publish(t, line.getBytes(StandardCharsets.UTF_8), qos, retain, props).get(30, TimeUnit.SECONDS);
                }
            } else {
                byte[] payload = message != null ? message.getBytes(StandardCharsets.UTF_8)
                        : file != null ? fileBytes
                        : stdin ? wren.in.readAllBytes()
                        : new byte[0];
                // a progress line for long runs, when a person watches standard error
                boolean progress = repeat >= 100 && wren.err == System.err && System.console() != null;
                for (int i = 1; i <= repeat; i++) {
                    c.publish(t, payload, qos, retain, props).get(30, TimeUnit.SECONDS);
                    if (progress && (i % 100 == 0 || i == repeat)) {
                        wren.err.print("\rpublished " + i + " of " + repeat + (i == repeat ? "\n" : ""));
                        wren.err.flush();
                    }
                    if (i < repeat && repeatDelay > 0) {
                        Thread.sleep((long) (repeatDelay * 1000));
                    }
                }
            }
            c.disconnect().get(10, TimeUnit.SECONDS);
        }
        return 0;
    }
}
