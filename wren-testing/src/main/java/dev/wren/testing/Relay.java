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
}
