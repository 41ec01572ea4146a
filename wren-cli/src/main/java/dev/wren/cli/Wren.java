package dev.wren.cli;

import dev.wren.mqtt.ConnectReturnCode;
import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.ReasonCode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wren}: the command-line tools. {@code wren pub} and {@code wren sub} take the flags of
 * {@code mosquitto_pub} and {@code mosquitto_sub}; {@code wren demo} runs the publisher sample, against an embedded
 * broker when none is given.
 *
 * <p>Exit codes follow mosquitto's tools: 0 on success, the CONNACK return code when the broker refuses the
 * connection, 27 when {@code sub -W} times out, 1 for every other error, each reported as one line on stderr.
 */
@Command(name = "wren", subcommands = {PubCommand.class, SubCommand.class, RrCommand.class, DemoCommand.class,
        CompletionCommand.class}, versionProvider = Wren.Version.class,
        description = "Wren MQTT tools: pub, sub, rr, demo, completion. 'wren COMMAND --help' for the flags of each.")
public final class Wren implements Runnable {
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    boolean version;

    final PrintStream out;
    final PrintStream err;
    final InputStream in;

    Wren(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /**
     * The library's own log (connected, connection ended) is not the tools' output: they print what mosquitto's tools
     * print, their errors in their own words, and packets with {@code -d}. A logging configuration given with
     * {@code -Djava.util.logging.config.file} still wins. Held here because java.util.logging keeps loggers weakly.
     */
    private static final Logger LIBRARY_LOG = Logger.getLogger("dev.wren.mqtt");

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.config.file") == null) {
            LIBRARY_LOG.setLevel(Level.OFF);
        }
        int code = run(System.out, System.err, System.in, args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the tools with these streams; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, InputStream in, String... args) {
        CommandLine cl = new CommandLine(new Wren(out, err, in));
        manPageStyle(cl);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            // the qualified name: 'wren pub --help', and 'wren --help' (not 'wren wren --help') for the top level
            err.println("Error: " + e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 1;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Failure f = Failure.of(e);
            err.println("Error: " + f.message);
            return f.exitCode;
        });
        return cl.execute(args);
    }

    /**
     * Help laid out as a manual page (NAME, SYNOPSIS, OPTIONS, ARGUMENTS, COMMANDS, EXIT STATUS), for every
     * command, from the commands' own definitions.
     */
    private static void manPageStyle(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec u = cl.getCommandSpec().usageMessage();
        u.headerHeading("NAME%n").header("  " + cl.getCommandSpec().qualifiedName().replace(' ', '-') + " - "
                        + (u.description().length > 0 ? u.description()[0] : ""))
                .synopsisHeading("%nSYNOPSIS%n  ")
                .descriptionHeading("")
                .optionListHeading("%nOPTIONS%n")
                .parameterListHeading("%nARGUMENTS%n")
                .commandListHeading("%nCOMMANDS%n")
                .exitCodeListHeading("%nEXIT STATUS%n")
                .exitCodeList(EXIT_CODES);
        u.description(new String[0]); // said in NAME
        if (cl.getCommandSpec().parent() == null) {
            u.footerHeading("%nSEE ALSO%n").footer("  mosquitto_pub(1), mosquitto_sub(1), mosquitto_rr(1); "
                    + "'wren completion bash' for shell completion.");
        }
        cl.getSubcommands().values().forEach(Wren::manPageStyle);
    }

    /** The exit codes, as mosquitto's tools use them. */
    private static final java.util.Map<String, String> EXIT_CODES = exitCodes();

    private static java.util.Map<String, String> exitCodes() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("0", "success");
        m.put("1", "an error (one line on standard error says which)");
        m.put("2-5", "the broker refused the connection: its CONNACK return code (MQTT 5.0: the 3.1.1 code of the "
                + "same meaning)");
        m.put("27", "sub -W: the time-out passed");
        return m;
    }

    /** {@code wren --version}: the version Maven built, from a resource it filled in. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (InputStream in = Wren.class.getResourceAsStream("wren-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"wren " + p.getProperty("version", "(unknown version)") + " (MQTT 3.1, 3.1.1, 5.0; Java "
                    + System.getProperty("java.version") + ")"};
        }
    }

    @Override
    public void run() {
        err.println("Error: a command is needed: pub, sub or demo (see 'wren --help')");
        throw new CommandLine.ExecutionException(new CommandLine(this), "no command", null) {
            private static final long serialVersionUID = 1L;
        };
    }

    /** An error as a line and an exit code. */
    record Failure(String message, int exitCode) {
        static Failure of(Throwable e) {
            while ((e instanceof ExecutionException || e instanceof CompletionException
                    || e instanceof CommandLine.ExecutionException) && e.getCause() != null) {
                e = e.getCause();
            }
            if (e instanceof CommandLine.ExecutionException && e.getMessage().equals("no command")) {
                return new Failure("a command is needed", 1);
            }
            if (e instanceof MqttException m && m.disconnect() != null) {
                var d = m.disconnect();
                if (d.reason() == DisconnectReason.REFUSED && d.reasonCode() != null) {
                    // MQTT 5.0: the CONNACK's reason code, and the reason the server gave with it, if any
                    ReasonCode reason = d.reasonCode();
                    ConnectReturnCode same = ConnectReturnCode.equivalentOf(reason);
                    String said = d.properties() == null ? ""
                            : d.properties().reasonString().map(r -> " (" + r + ")").orElse("");
                    String hint = reason == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION
                            ? " (the broker may not speak MQTT 5.0: try -V mqttv311)" : "";
                    return new Failure("Connection refused: " + words(reason.name()) + said + hint,
                            same == null ? 1 : same.code());
                }
                if (d.reason() == DisconnectReason.REFUSED && d.message() != null) {
                    String name = d.message().substring(d.message().lastIndexOf(' ') + 1);
                    try {
                        ConnectReturnCode code = ConnectReturnCode.valueOf(name);
                        return new Failure("Connection refused: " + words(name), code.code());
                    } catch (IllegalArgumentException notACode) {
                        // fall through
                    }
                }
                if (d.reason() == DisconnectReason.IO_ERROR && d.cause() != null) {
                    // the message names the host and port ("cannot connect to host:port: Connection refused")
                    return new Failure(d.message(), 1);
                }
                return new Failure(d.reason() + ": " + d.message(), 1);
            }
            if (e instanceof java.util.concurrent.TimeoutException) {
                return new Failure("no answer from the broker in time", 1);
            }
            if (e instanceof IllegalArgumentException || e instanceof UsageException
                    || e instanceof java.io.UncheckedIOException) {
                return new Failure(e.getMessage(), 1);
            }
            return new Failure(e.toString(), 1);
        }

        /** A code's name as words: {@code NOT_AUTHORIZED} as "not authorized". */
        private static String words(String name) {
            return name.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
