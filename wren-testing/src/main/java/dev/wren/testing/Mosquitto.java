package dev.wren.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker, started on a free loopback port with its own configuration file in a temporary
 * directory, and stopped by {@link #close()}.
 *
 * <p>{@link #shared()} gives one broker for a whole test run (stopped when the JVM exits); tests that need special
 * settings (persistence, restarts) start their own with {@link #start(String...)}.
 *
 * <p>Thread-safe.
 */
public final class Mosquitto implements AutoCloseable {
    private static Mosquitto shared;

    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private final java.util.Map<String, String> environment;
    private Process process;
    /** The Unix socket it also listens on, or null. */
    private Path unixSocket;
    /**
     * Stops the broker when the JVM exits without {@link #close()} (a benchmark stopped with Ctrl-C, a failed test
     * run); a JVM killed with SIGKILL runs no hooks, so a child JVM must never start one.
     */
    private final Thread stopOnExit = new Thread(this::stopProcessOnExit, "mosquitto-stop");

    private Mosquitto(int port, List<String> extraConfig, java.util.Map<String, String> environment)
            throws IOException {
        this.dir = Files.createTempDirectory("wren-mosquitto");
        this.port = port;
        this.extraConfig = extraConfig;
        this.environment = environment;
    }

    /**
     * The broker shared by all tests of this JVM.
     *
     * @return the shared broker, started on first use
     */
    public static synchronized Mosquitto shared() {
        if (shared == null) {
            shared = start(); // stopped by its shutdown hook when the JVM exits
        }
        return shared;
    }

    /**
     * Starts a broker on a free loopback port, with extra configuration lines.
     *
     * @param extraConfigLines lines appended to the broker's configuration file
     * @return the started broker
     */
    public static Mosquitto start(String... extraConfigLines) {
        return startWithEnvironment(java.util.Map.of(), extraConfigLines);
    }

    /**
     * Starts a broker with extra environment variables, e.g. {@code OPENSSL_CONF} to cap its TLS version (mosquitto
     * 2.0's own {@code tls_version} only sets the minimum).
     *
     * @param environment variables added to the broker process's environment
     * @param extraConfigLines lines appended to the broker's configuration file
     * @return the started broker
     */
    public static Mosquitto startWithEnvironment(java.util.Map<String, String> environment, String... extraConfigLines) {
        return launched(environment, false, extraConfigLines);
    }

    /**
     * Starts a broker that also listens on a Unix domain socket in its directory ({@code listener 0 path}), at
     * {@link #unixSocket()}.
     *
     * @param extraConfigLines lines appended to the broker's configuration file
     * @return the started broker
     */
    public static Mosquitto startWithUnixSocket(String... extraConfigLines) {
        return launched(java.util.Map.of(), true, extraConfigLines);
    }

    private static Mosquitto launched(java.util.Map<String, String> environment, boolean unix, String... extra) {
        try {
            Mosquitto m = new Mosquitto(freePort(), List.of(extra), environment);
            if (unix) {
                m.unixSocket = m.dir.resolve("mqtt.sock");
            }
            m.launch();
            Runtime.getRuntime().addShutdownHook(m.stopOnExit);
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto: " + e.getMessage(), e);
        }
    }

    /**
     * The Unix domain socket it listens on, or null (see {@link #startWithUnixSocket}).
     *
     * @return the socket's path, or null
     */
    public Path unixSocket() {
        return unixSocket;
    }

    /** The loopback port the broker listens on. */
    /**
     * The broker process (for its CPU time, in benchmarks).
     *
     * @return the process
     */
    public synchronized ProcessHandle processHandle() {
        return process.toHandle();
    }

    /**
     * The TCP port it listens on for MQTT.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The host to connect to.
     *
     * @return the host, {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * The broker's working directory (config, persistence, log).
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    /** Stops the broker (SIGTERM, so persistence is written) and starts it again on the same port. */
    public synchronized void restart() {
        stopProcess();
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart mosquitto: " + e.getMessage(), e);
        }
    }

    /**
     * The broker's log so far.
     *
     * @return the log's text
     */
    public String log() {
        try {
            Path log = dir.resolve("mosquitto.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void launch() throws IOException {
        List<String> conf = new ArrayList<>();
        conf.add("listener " + port + " 127.0.0.1");
        conf.add("allow_anonymous true");
        conf.add("log_dest file " + dir.resolve("mosquitto.log"));
        conf.add("log_type error");
        conf.add("log_type warning");
        conf.add("log_type notice");
        conf.add("max_keepalive 65535");
        // Debian 12's mosquitto 2.0.11 never delivers QoS 1 messages queued for a subscriber once its per-client
        // in-flight quota (default 20) fills with mixed QoS 1 / QoS 2 traffic; upstream fixed its in-flight quota
        // handling in 2.0.13 (eclipse-mosquitto/mosquitto#2362). Reproduced here with 300 mixed-QoS messages: with
        // the quota, 80 QoS 1 messages never left the broker; without it, none was lost. The tests lift the quota.
        conf.add("max_inflight_messages 0");
        // the default (1000) drops QoS 1/2 messages queued for a disconnected persistent session beyond that
        conf.add("max_queued_messages 1000000");
        if ("root".equals(System.getProperty("user.name"))) {
            // started as root, mosquitto drops to user 'mosquitto', which cannot read this private directory
            conf.add("user root");
        }
        conf.add("persistence_location " + dir + "/");
        if (unixSocket != null) {
            conf.add("listener 0 " + unixSocket);
        }
        conf.addAll(extraConfig);
        Path confFile = dir.resolve("mosquitto.conf");
        Files.write(confFile, conf, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(binary(), "-c", confFile.toString());
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stdout.txt")) + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + " within 10 s");
    }

    /**
     * Whether the Mosquitto binary is installed where Debian and most Linux packages put it. The system property
     * {@code wren.testing.mosquitto=absent} makes it answer false (to see what a machine without Mosquitto gets).
     *
     * @return whether Mosquitto can be started
     */
    public static boolean isInstalled() {
        if ("absent".equals(System.getProperty("wren.testing.mosquitto"))) {
            return false;
        }
        for (String p : BINARIES) {
            if (Files.isExecutable(Path.of(p))) {
                return true;
            }
        }
        return false;
    }

    private static final String[] BINARIES = {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"};

    private static String binary() {
        for (String p : BINARIES) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: run 'apt-get install -y mosquitto' "
                + "(the README's test command does this)");
    }

    /**
     * A free loopback port, for extra listeners. Chosen at random below the kernel's ephemeral range (32768 and
     * up on Linux), so that no outgoing connection of the tests can take it before the broker binds it.
     *
     * @return the port
     * @throws IOException when no port can be bound
     */
    public static synchronized int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + r.nextInt(12_000);
            if (USED.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
                USED.add(port);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port found in 20000..31999");
    }

    private static final java.util.Set<Integer> USED = new java.util.HashSet<>();

    private void stopProcess() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public synchronized void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and finds nothing to stop
        }
    }

    private synchronized void stopProcessOnExit() {
        stopProcess();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
