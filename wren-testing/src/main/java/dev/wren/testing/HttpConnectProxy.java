package dev.wren.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP CONNECT proxy for tests, on a free loopback port: answers {@code CONNECT host:port} with 200 and
 * relays bytes both ways, or with 407 when it requires Basic credentials that the request lacks, or 502 when the
 * target refuses. One thread per direction per tunnel; daemon threads.
 *
 * <p>Thread-safe.
 */
public final class HttpConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String requiredCredentials;
    private final AtomicInteger tunnels = new AtomicInteger();

    private HttpConnectProxy(String userName, String password) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.requiredCredentials = userName == null ? null
                : Base64.getEncoder().encodeToString((userName + ":" + password).getBytes(StandardCharsets.UTF_8));
        Relay.acceptEach(server, "http-proxy", this::serve);
    }

    /**
     * A proxy that asks for nothing.
     *
     * @return the started proxy
     * @throws IOException when it cannot listen
     */
    public static HttpConnectProxy start() throws IOException {
        return new HttpConnectProxy(null, null);
    }

    /**
     * A proxy that requires these Basic credentials.
     *
     * @param userName the user name it accepts
     * @param password the password it accepts
     * @return the started proxy
     * @throws IOException when it cannot listen
     */
    public static HttpConnectProxy requiring(String userName, String password) throws IOException {
        return new HttpConnectProxy(userName, password);
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

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = Relay.readHead(in);
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ");
            if (request.length < 3 || !request[0].equals("CONNECT")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (requiredCredentials != null && !head.contains("\r\nProxy-Authorization: Basic " + requiredCredentials
                    + "\r\n")) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            int colon = request[1].lastIndexOf(':');
            String host = request[1].substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(request[1].substring(colon + 1));
            Socket target = new Socket();
            try {
                target.connect(new InetSocketAddress(host, port), 5_000);
            } catch (IOException e) {
                out.write("HTTP/1.1 502 Bad Gateway\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            try (target) {
                tunnels.incrementAndGet();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Relay.inBackground("http-proxy-up", () -> Relay.copy(in, target));
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
