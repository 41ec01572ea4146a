package dev.wren.cli;

import dev.wren.examples.Publisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code wren demo}: the publisher sample end to end. With no broker given, it starts Moquette in this process on a
 * free loopback port and runs against it, so a newcomer sees MQTT work with nothing installed. Exits 0 when every
 * acknowledgement arrived.
 */
@Command(name = "demo", description = "Run the publisher sample; with no -h/-p, against an embedded broker.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Wren wren;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "-h", paramLabel = "host", description = "broker host (default: an embedded broker)")
    String host;

    @Option(names = "-p", paramLabel = "port", description = "broker port (default: 1883 with -h)")
    Integer port;

    @Option(names = "-n", paramLabel = "rounds", description = "publish rounds (default: 3)")
    int iterations = 3;

    @Override
    public Integer call() throws Exception {
        String[] sample = {"-n", String.valueOf(iterations), "--sleep-ms", "200"};
        if (host != null || port != null) {
            return Publisher.run(wren.out, concat(sample, "-h", host == null ? "localhost" : host,
                    "-p", String.valueOf(port == null ? 1883 : port)));
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            wren.out.println("No broker given: started Moquette, an MQTT broker, in this process on 127.0.0.1:"
                    + broker.port());
            return Publisher.run(wren.out, concat(sample, "-h", "127.0.0.1", "-p", String.valueOf(broker.port())));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
