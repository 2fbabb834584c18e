package dev.recon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy to a database server that forwards every connection until {@link #stall}
 * is called; from then on the connections open at that moment get nothing more in either
 * direction (the server seems to stop answering, after login), while new ones are forwarded.
 */
public final class StallingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    /** One client connection and its server connection. */
    private static final class Pipe {
        final Socket client;
        final Socket server;
        volatile boolean stalled;

        Pipe(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }
    }

    public StallingProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code url} (a JDBC URL to the proxied server) through this proxy. */
    public String through(String url) {
        return url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port() + "/");
    }

    /** From now on the connections open now get nothing more, either way. */
    public void stall() {
        pipes.forEach(p -> p.stalled = true);
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                Pipe pipe = new Pipe(client, server);
                pipes.add(pipe);
                copy(pipe, client.getInputStream(), server.getOutputStream());
                copy(pipe, server.getInputStream(), client.getOutputStream());
            }
        } catch (IOException closed) {
            // the proxy is closed
        }
    }

    private static void copy(Pipe pipe, InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    while (pipe.stalled) {
                        Thread.sleep(50); // hold the bytes: the other side waits for ever
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException gone) {
                // a side closed
            }
        }, "stalling-proxy-copy");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Pipe p : pipes) {
            p.client.close();
            p.server.close();
        }
    }
}
