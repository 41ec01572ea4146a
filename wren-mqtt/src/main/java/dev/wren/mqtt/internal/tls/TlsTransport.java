package dev.wren.mqtt.internal.tls;

import dev.wren.mqtt.TlsConfig;
import dev.wren.mqtt.Transport;
import dev.wren.mqtt.internal.transport.SocketTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over any non-blocking byte {@link Transport} (TCP, and later a proxy tunnel or a WebSocket), driven by an
 * {@link SSLEngine}: the handshake, reads and writes all progress a step at a time as the transport allows, so that
 * many TLS clients can share one thread. It knows nothing of the transport beneath but its {@link Transport} methods.
 *
 * <p>Buffers: {@code netIn} holds ciphertext read from the socket, {@code appIn} plaintext not yet taken by the
 * client, {@code netOut} ciphertext not yet written. All three stay in write mode between calls. Delegated
 * handshake tasks (certificate checks) run inline on the calling thread.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
public final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Transport inner;
    /** {@code netOut} as the one-element array {@link Transport#write} takes. */
    private final ByteBuffer[] netOutArray = new ByteBuffer[1];
    private boolean innerConnected;
    private final SSLEngine engine;
    private final TlsConfig config;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean handshakeStarted;
    private boolean handshakeDone;
    private boolean closed;

    private TlsTransport(Transport inner, SSLEngine engine, TlsConfig config) {
        this.inner = inner;
        this.engine = engine;
        this.config = config;
        int packet = engine.getSession().getPacketBufferSize();
        // heap buffers: the JDK's ciphers work on arrays and copy direct buffers through temporary ones
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Opens the TCP connection (without waiting) and prepares the engine for {@code host}. */
    public static TlsTransport open(TlsConfig config, String host, int port) throws IOException {
        return over(SocketTransport.open(host, port), config, host, port);
    }

    /**
     * TLS over {@code inner}, a transport being opened to {@code host:port} (or to something that leads there): the
     * engine is prepared for {@code host}, the name the certificate must carry unless the configuration says another.
     */
    public static TlsTransport over(Transport inner, TlsConfig config, String host, int port) {
        String peer = config.hostName() != null ? config.hostName() : host;
        SSLEngine engine = config.context().createSSLEngine(peer, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (config.verification() != TlsConfig.PeerVerification.NONE && config.hostNameVerification()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(peer)) {
            p.setServerNames(List.of(new SNIHostName(peer)));
        }
        if (!config.cipherSuites().isEmpty()) {
            p.setCipherSuites(config.cipherSuites().toArray(new String[0]));
        }
        if (!config.protocols().isEmpty()) {
            p.setProtocols(config.protocols().toArray(new String[0]));
        }
        if (!config.alpn().isEmpty()) {
            p.setApplicationProtocols(config.alpn().toArray(new String[0]));
        }
        engine.setSSLParameters(p);
        return new TlsTransport(inner, engine, config);
    }

    /** The engine, for tests and diagnostics (negotiated protocol, cipher suite, ALPN, session). */
    public SSLEngine engine() {
        return engine;
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (handshakeDone) {
            return true;
        }
        if (!innerConnected) {
            if (!inner.finishConnect()) {
                return false;
            }
            innerConnected = true;
        }
        try {
            if (!handshakeStarted) {
                engine.beginHandshake();
                handshakeStarted = true;
            }
            return handshake();
        } catch (SSLException e) {
            throw e;
        } catch (IOException e) {
            // a reset or broken pipe mid-handshake is a TLS failure: a server that does not speak TLS, say
            throw new SSLException("TLS handshake failed: " + e.getMessage(), e);
        }
    }

    /** Advances the handshake as far as the socket allows; true once it is complete and flushed. */
    private boolean handshake() throws IOException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        flushNet();
                        throw new SSLException("TLS handshake failed: the engine closed (" + r + ")");
                    }
                    if (!flushNet() && r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!flushNet()) {
                        return false;
                    }
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = inner.read(netIn);
                        if (n < 0) {
                            throw new SSLException("the server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed TLS during the handshake");
                    }
                }
                default -> { // FINISHED or NOT_HANDSHAKING
                    if (!flushNet()) {
                        return false;
                    }
                    if (!handshakeDone) {
                        handshakeDone = true;
                        if (!config.sessionResumption()) {
                            engine.getSession().invalidate();
                        }
                    }
                    return true;
                }
            }
        }
    }

    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        try {
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
                appIn.flip();
                bigger.put(appIn);
                appIn = bigger;
            }
            return r;
        } finally {
            netIn.compact();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Writes pending ciphertext; true when none is left. */
    private boolean flushNet() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            netOutArray[0] = netOut;
            inner.write(netOutArray, 0, 1);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0 && inner.flush();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!handshakeDone) {
            return 0;
        }
        while (true) {
            if (appIn.position() > 0) {
                return drainAppIn(dst);
            }
            SSLEngineResult r = unwrap();
            switch (r.getStatus()) {
                case OK -> {
                    if (r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                            && r.getHandshakeStatus() != HandshakeStatus.FINISHED) {
                        handshake(); // post-handshake messages: key update, renegotiation
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    int n = inner.read(netIn);
                    if (n <= 0) {
                        return n;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    // appIn was grown by unwrap(); try again
                }
                case CLOSED -> {
                    closeOutbound(); // answer the server's close_notify with ours
                    return -1;
                }
                default -> throw new AssertionError(r.getStatus());
            }
        }
    }

    private int drainAppIn(ByteBuffer dst) {
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer slice = appIn.duplicate();
        slice.limit(slice.position() + n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!handshakeDone || !flushNet()) {
            return 0;
        }
        long consumed = 0;
        while (remaining(srcs, offset, length) > 0) {
            SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
            consumed += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS connection already closed");
            }
            if (!flushNet()) {
                break;
            }
        }
        return consumed;
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        return n;
    }

    @Override
    public boolean flush() throws IOException {
        return flushNet();
    }

    @Override
    public boolean hasBufferedInput() {
        if (appIn.position() > 0 || inner.hasBufferedInput()) {
            return true;
        }
        // a whole TLS record waiting in netIn: 5-byte header, then the length it announces
        if (netIn.position() >= 5) {
            int length = ((netIn.get(3) & 0xFF) << 8) | (netIn.get(4) & 0xFF);
            return netIn.position() >= 5 + length;
        }
        return false;
    }

    @Override
    public SelectableChannel channel() {
        return inner.channel();
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        if (!innerConnected) {
            return inner.interestOps(false); // the transport beneath is still being set up (TCP connect, tunnel)
        }
        boolean netPending = netOut.position() > 0;
        if (!handshakeDone) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            boolean write = netPending || hs == HandshakeStatus.NEED_WRAP;
            return write ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        }
        return SelectionKey.OP_READ | (clientWantsWrite || netPending ? SelectionKey.OP_WRITE : 0);
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        if (hasBufferedInput()) {
            return;
        }
        inner.awaitReadable(timeoutMillis);
    }

    private void closeOutbound() {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                if (r.getStatus() != SSLEngineResult.Status.OK && r.getStatus() != SSLEngineResult.Status.CLOSED) {
                    break;
                }
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
            flushNet();
        } catch (IOException ignored) {
            // best effort: the connection is going away
        }
    }

    /** Sends close_notify (as far as the socket takes it without waiting), then closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (handshakeDone) {
            closeOutbound();
        }
        inner.close();
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

}
