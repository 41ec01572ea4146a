package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;

/**
 * A tunnel through a SOCKS5 proxy (RFC 1928), with no authentication or user name and password (RFC 1929); the
 * broker's name goes to the proxy unresolved, as {@code socks5h} does. {@link #finishConnect()} runs the greeting,
 * the authentication and the CONNECT request a step at a time, never blocking; then bytes pass through unchanged.
 * Knows nothing of MQTT, so TLS and WebSocket run over it like over TCP.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
public final class Socks5Transport implements Transport {
    private enum Step { GREETING, AUTHENTICATION, REQUEST, OPEN }

    private final Transport proxy;
    private final String host;
    private final int port;
    private final String userName;
    private final String password;
    private final ByteBuffer[] outArray = new ByteBuffer[1];
    private ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocate(262); // the longest reply: 4 + 1 + 255 + 2
    private boolean proxyConnected;
    private Step step = Step.GREETING;

    public Socks5Transport(Transport proxy, String host, int port, String userName, String password) {
        if (host.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("SOCKS5 carries host names of at most 255 bytes");
        }
        this.proxy = proxy;
        this.host = host;
        this.port = port;
        this.userName = userName;
        this.password = password == null ? "" : password;
        this.out = userName == null ? ByteBuffer.wrap(new byte[] {5, 1, 0})
                : ByteBuffer.wrap(new byte[] {5, 2, 0, 2}); // methods: none, or none and user name/password
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (step == Step.OPEN) {
            return true;
        }
        if (!proxyConnected) {
            try {
                if (!proxy.finishConnect()) {
                    return false;
                }
            } catch (IOException e) {
                throw new IOException("cannot connect to the SOCKS5 proxy: " + e.getMessage(), e);
            }
            proxyConnected = true;
        }
        try {
            while (step != Step.OPEN) {
                if (out.hasRemaining()) {
                    outArray[0] = out;
                    proxy.write(outArray, 0, 1);
                    if (out.hasRemaining()) {
                        return false;
                    }
                }
                int n = proxy.read(in);
                if (n < 0) {
                    throw new ProxyRefusedException("the SOCKS5 proxy closed the connection during " + step);
                }
                if (!advance()) {
                    return false; // more of the answer to come
                }
            }
            return true;
        } catch (ProxyRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new ProxyRefusedException("the SOCKS5 proxy failed during " + step + ": " + e.getMessage());
        }
    }

    /** Handles the answer to the current step if it is all there; false while more is needed. */
    private boolean advance() throws IOException {
        switch (step) {
            case GREETING -> {
                if (in.position() < 2) {
                    return false;
                }
                if (in.get(0) != 5) {
                    throw new ProxyRefusedException("not a SOCKS5 proxy: it answered with version " + in.get(0));
                }
                int method = in.get(1) & 0xFF;
                consume(2);
                if (method == 0) {
                    request();
                } else if (method == 2 && userName != null) {
                    byte[] u = userName.getBytes(StandardCharsets.UTF_8);
                    byte[] p = password.getBytes(StandardCharsets.UTF_8);
                    if (u.length > 255 || p.length > 255) {
                        throw new ProxyRefusedException("SOCKS5 user names and passwords are at most 255 bytes");
                    }
                    out = ByteBuffer.allocate(3 + u.length + p.length);
                    out.put((byte) 1).put((byte) u.length).put(u).put((byte) p.length).put(p).flip();
                    step = Step.AUTHENTICATION;
                } else {
                    throw new ProxyRefusedException("the SOCKS5 proxy accepts none of the offered authentication "
                            + "methods" + (userName == null ? " (it may want a user name and password)" : ""));
                }
            }
            case AUTHENTICATION -> {
                if (in.position() < 2) {
                    return false;
                }
                int status = in.get(1) & 0xFF;
                consume(2);
                if (status != 0) {
                    throw new ProxyRefusedException("the SOCKS5 proxy refused the user name and password");
                }
                request();
            }
            case REQUEST -> {
                if (in.position() < 5) {
                    return false;
                }
                int reply = in.get(1) & 0xFF;
                if (reply != 0) {
                    throw new ProxyRefusedException("the SOCKS5 proxy refused CONNECT " + host + ":" + port + ": "
                            + replyText(reply) + " (" + reply + ")");
                }
                int atyp = in.get(3) & 0xFF;
                int length = 4 + switch (atyp) {
                    case 1 -> 4;
                    case 3 -> 1 + (in.get(4) & 0xFF);
                    case 4 -> 16;
                    default -> throw new ProxyRefusedException("the SOCKS5 proxy answered with address type " + atyp);
                } + 2;
                if (in.position() < length) {
                    return false;
                }
                consume(length);
                step = Step.OPEN;
            }
            default -> throw new AssertionError(step);
        }
        return true;
    }

    private void request() {
        byte[] name = host.getBytes(StandardCharsets.UTF_8);
        out = ByteBuffer.allocate(7 + name.length);
        out.put((byte) 5).put((byte) 1).put((byte) 0).put((byte) 3).put((byte) name.length).put(name)
                .putShort((short) port).flip();
        step = Step.REQUEST;
    }

    private void consume(int n) {
        in.flip().position(n);
        in.compact();
    }

    private static String replyText(int reply) {
        return switch (reply) {
            case 1 -> "general failure";
            case 2 -> "not allowed by its rules";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "unknown reply";
        };
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (step != Step.OPEN) {
            return 0;
        }
        if (in.position() > 0) { // the broker's bytes that came with the proxy's last answer
            in.flip();
            int n = Math.min(dst.remaining(), in.remaining());
            ByteBuffer part = in.duplicate();
            part.limit(part.position() + n);
            dst.put(part);
            in.position(in.position() + n);
            in.compact();
            return n;
        }
        return proxy.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return step == Step.OPEN ? proxy.write(srcs, offset, length) : 0;
    }

    @Override
    public boolean flush() throws IOException {
        return proxy.flush();
    }

    @Override
    public boolean hasBufferedInput() {
        return step == Step.OPEN && (in.position() > 0 || proxy.hasBufferedInput());
    }

    @Override
    public SelectableChannel channel() {
        return proxy.channel();
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        if (!proxyConnected) {
            return proxy.interestOps(false);
        }
        if (step != Step.OPEN) {
            return out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        }
        return proxy.interestOps(clientWantsWrite);
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        if (in.position() == 0) {
            proxy.awaitReadable(timeoutMillis);
        }
    }

    @Override
    public void close() {
        proxy.close();
    }
}
