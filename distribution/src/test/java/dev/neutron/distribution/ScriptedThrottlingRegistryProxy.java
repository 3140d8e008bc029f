package dev.neutron.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted fault injector in front of the real registry: a TCP pass-through that sends the registry's answers at
 * most {@code bytesPerSecond} (so a pull of a small model takes long enough to watch, cancel or break), and that can
 * {@link #stop()} like a registry that goes away: every open connection is cut and new ones are refused.
 */
final class ScriptedThrottlingRegistryProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long bytesPerSecond;

    ScriptedThrottlingRegistryProxy(String upstreamHostPort, long bytesPerSecond) throws IOException {
        String[] hostPort = upstreamHostPort.split(":");
        this.upstream = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-registry-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:<port>}, to put in front of a model name. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The registry goes away: open connections are cut, new ones refused. */
    void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(ScriptedThrottlingRegistryProxy::closeQuietly);
    }

    @Override
    public void close() {
        stop();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket registry = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(registry);
                pump(client.getInputStream(), registry.getOutputStream(), false, client, registry);
                pump(registry.getInputStream(), client.getOutputStream(), true, client, registry);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean throttled, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            long started = System.nanoTime();
            long sent = 0;
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                    sent += read;
                    if (throttled) {
                        long dueNanos = (long) (sent * 1e9 / bytesPerSecond);
                        long aheadMillis = (dueNanos - (System.nanoTime() - started)) / 1_000_000;
                        if (aheadMillis > 0) {
                            Thread.sleep(aheadMillis); // the throttle itself: pacing bytes, not waiting for an event
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side went away: close both
            } finally {
                closeQuietly(a);
                closeQuietly(b);
                sockets.remove(a);
                sockets.remove(b);
            }
        }, "scripted-registry-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
