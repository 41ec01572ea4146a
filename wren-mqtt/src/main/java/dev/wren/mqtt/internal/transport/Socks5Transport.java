package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A tunnel through a SOCKS5 proxy (RFC 1928), with no authentication or user name and password (RFC 1929); the
 * broker's name goes to the proxy unresolved, as {@code socks5h} does. {@link #finishConnect()} runs the greeting,
 * the authentication and the CONNECT request a step at a time, never blocking; then bytes pass through unchanged.
 * Knows nothing of MQTT, so TLS and WebSocket run over it like over TCP.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
public final class Socks5Transport extends ProxyTunnel {
    private enum Step { GREETING, AUTHENTICATION, REQUEST, OPEN }

    private final String host;
    private final int port;
    private final String userName;
    private final String password;
    private final ByteBuffer[] outArray = new ByteBuffer[1];
    private ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocate(262); // the longest reply: 4 + 1 + 255 + 2
    private Step step = Step.GREETING;

    public Socks5Transport(Transport proxy, String host, int port, String userName, String password) {
        super(proxy, "SOCKS5");
        if (host.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("SOCKS5 carries host names of at most 255 bytes");
        }
        this.host = host;
        this.port = port;
        this.userName = userName;
        this.password = password == null ? "" : password;
        this.out = userName == null ? ByteBuffer.wrap(new byte[] {5, 1, 0})
                : ByteBuffer.wrap(new byte[] {5, 2, 0, 2}); // methods: none, or none and user name/password
    }

    @Override
    String failedWhere() {
        return "during " + step;
    }

    @Override
    boolean handshakeWantsWrite() {
        return out.hasRemaining();
    }

    @Override
    boolean exchange() throws IOException {
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
                // the broker's bytes that came with the proxy's last answer
                opened(in.position() > 0 ? ByteBuffer.wrap(java.util.Arrays.copyOf(in.array(), in.position())) : null);
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
}
