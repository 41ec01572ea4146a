package dev.wren.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Moquette, in this process, on a free loopback port: the demo's broker when none is given.
 *
 * <p>{@code wren.jar} carries Moquette and its dependencies (Netty and others, some 5,000 classes) as one jar
 * inside it, {@value #NESTED}, rather than as its own entries: the JVM reads the whole table of a jar's entries
 * when it opens it, and {@code pub} and {@code sub} should not pay for the demo's broker. Starting a broker
 * copies that jar to a temporary file (deleted at exit) and loads {@code dev.wren.cli.broker.MoquetteBroker}
 * from it. Run from the build's classes instead (the tests), there is no nested jar and the class comes from the
 * class path.
 *
 * <p>Not thread-safe: start and stop from one thread.
 */
final class EmbeddedBroker implements AutoCloseable {
    /** The resource, in {@code wren.jar}, of the demo broker's jar. */
    static final String NESTED = "demo-broker.jar";

    private static final String BROKER_CLASS = "dev.wren.cli.broker.MoquetteBroker";

    private final AutoCloseable broker;
    private final int port;

    private EmbeddedBroker(AutoCloseable broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    /** Starts Moquette on a free loopback port. */
    static EmbeddedBroker start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try {
            Object broker = brokerClass().getConstructor(int.class).newInstance(port);
            return new EmbeddedBroker((AutoCloseable) broker, port);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("the demo broker did not start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException("the demo broker is missing from this build: " + e, e);
        }
    }

    private static Class<?> brokerClass() throws IOException, ClassNotFoundException {
        URL nested = EmbeddedBroker.class.getResource(NESTED);
        if (nested == null) {
            return Class.forName(BROKER_CLASS);
        }
        Path copy = Files.createTempFile("wren-demo-broker", ".jar");
        copy.toFile().deleteOnExit();
        try (InputStream in = nested.openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        // never closed: the broker's threads may load classes until the JVM exits
        @SuppressWarnings("resource")
        URLClassLoader loader = new URLClassLoader(new URL[] {toUrl(copy)}, EmbeddedBroker.class.getClassLoader());
        return Class.forName(BROKER_CLASS, true, loader);
    }

    private static URL toUrl(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        broker.close();
    }
}
