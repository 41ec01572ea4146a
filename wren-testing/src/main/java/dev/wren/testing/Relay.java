package dev.wren.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/** What the test proxies and bridges share: a daemon accept loop, and a byte pump from one side to the other. */
final class Relay {
    private Relay() {
    }

    /** Accepts connections on {@code server} until it closes, serving each on a daemon thread of its own. */
    static void acceptEach(ServerSocket server, String name, Consumer<Socket> serve) {
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread t = new Thread(() -> serve.accept(client), name + "-client");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, name + "-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Copies {@code from} to {@code to} until either ends, then half-closes {@code to}. */
    static void copy(InputStream from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            OutputStream out = to.getOutputStream();
            for (int n; (n = from.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one side went away
        }
    }

    /** Runs {@code task} on a daemon thread. */
    static void inBackground(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    /** Reads an HTTP request head, up to and with the blank line that ends it. */
    static String readHead(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int matched = 0; // of CR LF CR LF
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before its request ended");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
