package dev.wren.cli;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.async.AsyncMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code wren rr}: one MQTT 5.0 request and its response, as {@code mosquitto_rr}: publishes the message with a
 * response topic and correlation data, prints the payload of the response that carries the same correlation data.
 */
@Command(name = "rr", description = "Send an MQTT 5 request and print its response, with mosquitto_rr's flags.")
final class RrCommand implements Callable<Integer> {
    @ParentCommand
    Wren wren;

    @Mixin
    ClientOptions client;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "-t", paramLabel = "topic", description = "topic to send the request to")
    String topic;

    @Option(names = "-e", paramLabel = "topic", description = "response topic: where the response is expected")
    String responseTopic;

    @Option(names = "-m", paramLabel = "message", description = "request message")
    String message;

    @Option(names = "-n", description = "send a null (zero length) request")
    boolean nullMessage;

    @Option(names = "-W", paramLabel = "seconds", description = "give up after this many seconds (default: 60; "
            + "exit code 27)")
    int timeout = 60;

    @Override
    public Integer call() throws Exception {
        if (topic == null || responseTopic == null) {
            throw new UsageException("a request topic (-t) and a response topic (-e) are needed");
        }
        if ((message != null) == nullMessage) {
            throw new UsageException("exactly one of -m or -n is needed");
        }
        if (timeout < 1) {
            throw new UsageException("-W must be at least 1 second, was " + timeout);
        }
        if (client.protocol.equals("mqttv311")) {
            client.protocol = "mqttv5"; // request / response is MQTT 5.0: mosquitto_rr always speaks it
        }
        MqttClientConfig config = client.config("wren-rr-", wren.out);
        if (!config.protocolVersion().isMqtt5()) {
            throw new UsageException("wren rr needs MQTT 5: -V mqttv5");
        }
        byte[] payload = message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
        try (AsyncMqttClient c = AsyncMqttClient.builder(config).automaticReconnect(false).build()) {
            c.connect().get(30, TimeUnit.SECONDS);
            MqttEvent.Publish response;
            try {
                response = c.request(topic, payload, client.qos(), responseTopic, Duration.ofSeconds(timeout))
                        .get(timeout + 5L, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TimeoutException) {
                    wren.err.println("Timed out");
                    return SubCommand.TIMED_OUT;
                }
                throw e;
            }
            byte[] body = response.payloadBytes();
            wren.out.write(body, 0, body.length);
            wren.out.println();
            c.disconnect().get(10, TimeUnit.SECONDS);
        }
        return 0;
    }
}
