package dev.wren.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small SOCKS5 proxy for tests (RFC 1928, CONNECT only; RFC 1929 user name and password when asked to require
 * them), on a free loopback port, relaying bytes both ways once the tunnel is open. Daemon threads.
 *
 * <p>Thread-safe.
 */
public final class Socks5Proxy implements AutoCloseable {
    private final ServerSocket server;
    private final String user;
    private final String password;
    private final AtomicInteger tunnels = new AtomicInteger();
    private volatile String lastHost;

    private Socks5Proxy(String user, String password) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.user = user;
        this.password = password;
        Relay.acceptEach(server, "socks", this::serve);
    }

    /**
     * A proxy that asks for no authentication.
     *
     * @return the started proxy
     * @throws IOException when it cannot listen
     */
    public static Socks5Proxy start() throws IOException {
        return new Socks5Proxy(null, null);
    }

    /**
     * A proxy that requires user name and password authentication (RFC 1929) with these credentials.
     *
     * @param user the user name it accepts
     * @param password the password it accepts
     * @return the started proxy
     * @throws IOException when it cannot listen
     */
    public static Socks5Proxy requiring(String user, String password) throws IOException {
        return new Socks5Proxy(user, password);
    }

    /**
     * The loopback port clients connect to.
     *
     * @return the port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Tunnels opened so far.
     *
     * @return the number of tunnels
     */
    public int tunnels() {
        return tunnels.get();
    }

    /**
     * The host name the last CONNECT asked for, as the client sent it (unresolved for socks5h).
     *
     * @return the host name, or null before the first CONNECT
     */
    public String lastHost() {
        return lastHost;
    }

    private void serve(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            if (in.readUnsignedByte() != 5) {
                return;
            }
            byte[] methods = new byte[in.readUnsignedByte()];
            in.readFully(methods);
            int wanted = user == null ? 0 : 2;
            boolean offered = false;
            for (byte m : methods) {
                offered |= m == wanted;
            }
            if (!offered) {
                out.write(new byte[] {5, (byte) 0xFF});
                return;
            }
            out.write(new byte[] {5, (byte) wanted});
            if (wanted == 2) {
                in.readUnsignedByte(); // subnegotiation version 1
                byte[] u = new byte[in.readUnsignedByte()];
                in.readFully(u);
                byte[] p = new byte[in.readUnsignedByte()];
                in.readFully(p);
                boolean ok = user.equals(new String(u, StandardCharsets.UTF_8))
                        && password.equals(new String(p, StandardCharsets.UTF_8));
                out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
                if (!ok) {
                    return;
                }
            }
            in.readUnsignedByte(); // version
            int command = in.readUnsignedByte();
            in.readUnsignedByte(); // reserved
            int atyp = in.readUnsignedByte();
            String host;
            if (atyp == 3) {
                byte[] name = new byte[in.readUnsignedByte()];
                in.readFully(name);
                host = new String(name, StandardCharsets.UTF_8);
            } else {
                byte[] addr = new byte[atyp == 1 ? 4 : 16];
                in.readFully(addr);
                host = InetAddress.getByAddress(addr).getHostAddress();
            }
            int port = in.readUnsignedShort();
            lastHost = host;
            if (command != 1) {
                out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0});
                return;
            }
            Socket target = new Socket();
            try {
                target.connect(new InetSocketAddress(host, port), 5_000);
            } catch (IOException e) {
                out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0});
                return;
            }
            try (target) {
                tunnels.incrementAndGet();
                out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
                out.flush();
                Relay.inBackground("socks-up", () -> Relay.copy(in, target));
                Relay.copy(target.getInputStream(), client);
            }
        } catch (IOException ignored) {
            // the tunnel ended
        }
    }


    @Override
    public void close() throws IOException {
        server.close();
    }
}
