package dev.wren.mqtt;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * Moves bytes between a client and a server without blocking, knowing nothing of MQTT: the Java form of
 * Zephyr's transport function table (connect / write / write_msg / read / disconnect).
 *
 * <p>Plain TCP comes with Wren ({@link TransportFactory#tcp()}); TLS, WebSocket and proxies are further
 * implementations, and an application can supply its own through
 * {@link MqttClientConfig.Builder#transport(TransportFactory)}. Every method but {@link #awaitReadable(long)}
 * must return without blocking.
 *
 * <p>Implementations need not be thread-safe: a client calls its transport from one thread at a time.
 */
public interface Transport extends Closeable {

    /**
     * Makes progress on connecting (TCP connect, and for layered transports their handshakes).
     *
     * @return true once the transport is ready to carry MQTT bytes
     * @throws IOException if connecting failed
     */
    boolean finishConnect() throws IOException;

    /**
     * Reads what is available into {@code dst}.
     *
     * @param dst where the bytes go
     * @return the number of bytes read, possibly 0, or -1 at the end of the stream
     * @throws IOException when the transport fails
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes as much of {@code srcs[offset..offset+length)} as can be written now, in order, advancing each
     * buffer's position.
     *
     * @param srcs the buffers
     * @param offset the first buffer to write
     * @param length how many buffers to write
     * @return the number of bytes written, possibly 0
     * @throws IOException when the transport fails
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Pushes out bytes the transport itself still holds (a TLS record, say).
     *
     * @return true when the transport holds nothing more to write
     * @throws IOException when the transport fails
     */
    default boolean flush() throws IOException {
        return true;
    }

    /**
     * Whether input is already buffered inside the transport (decrypted, say) that a wait on the channel would not
     * signal. The client then asks for no waiting ({@link MqttClient#keepAliveTimeLeft()} returns 0).
     *
     * @return whether input is buffered
     */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * The channel to register with a {@link java.nio.channels.Selector}.
     *
     * @return the channel
     */
    SelectableChannel channel();

    /**
     * The {@link java.nio.channels.SelectionKey} operations to wait for, given whether the client has bytes to
     * write.
     *
     * @param clientWantsWrite whether the client has bytes to write
     * @return the operations
     */
    int interestOps(boolean clientWantsWrite);

    /**
     * Blocks until bytes may be readable or {@code timeoutMillis} passes: used only by the blocking payload reads.
     *
     * @param timeoutMillis the longest wait in milliseconds
     * @throws IOException when the transport fails
     */
    void awaitReadable(long timeoutMillis) throws IOException;

    /** Closes the connection at once. Idempotent. */
    @Override
    void close();
}
