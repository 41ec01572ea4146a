package dev.wren.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The run from which the {@code wren} launcher records the classes that the tools load, to build a class-data
 * sharing archive for later start-ups (see {@code wren-cli/bin/wren}). It runs the commands people run most, each
 * against Moquette started in this process on a free loopback port: {@code pub} at QoS 0 and 1 (over MQTT 3.1.1:
 * the embedded broker answers 5.0 with a 3.1.1 refusal), {@code sub} of a retained message, {@code --version} and
 * {@code pub --help}. Their output goes nowhere.
 *
 * <p>The launcher leaves the demo broker's classes out of the archive, so they cost nothing in {@code pub} or
 * {@code sub}. A command that fails (no name for {@code localhost}, say) is not retried: the classes it
 * loaded are recorded all the same.
 *
 * <p>Not thread-safe; run once, as a program.
 */
final class ClassDataTraining {
    /** Quiet, as in {@link Wren#main}; held because java.util.logging keeps loggers weakly. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("dev.wren.mqtt");

    private ClassDataTraining() {
    }

    /**
     * Runs the training commands.
     *
     * @param args none
     * @throws Exception when the embedded broker cannot start
     */
    public static void main(String[] args) throws Exception {
        LIBRARY_LOG.setLevel(Level.OFF);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true);
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            String port = String.valueOf(broker.port());
            String[][] commands = {
                {"--version"},
                {"pub", "--help"},
                {"pub", "-h", "localhost", "-p", port, "-t", "training/a", "-m", "x"},
                {"pub", "-h", "127.0.0.1", "-p", port, "-t", "training/b", "-m", "x", "-q", "1", "-r"},
                {"sub", "-h", "127.0.0.1", "-p", port, "-t", "training/b", "-C", "1", "-W", "10", "-v"},
            };
            for (String[] command : commands) {
                // a command that fails still loaded most of what it needs: the archive is built all the same
                Wren.run(nowhere, nowhere, new ByteArrayInputStream(new byte[0]), command);
            }
        }
        System.exit(0);
    }
}
