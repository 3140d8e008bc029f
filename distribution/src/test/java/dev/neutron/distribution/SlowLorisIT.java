package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of slow-loris connections, each sending its request headers a byte a second, must not delay a normal
 * client: the same requests are timed without them and with them, in the same run, and the median and the 90th
 * percentile may grow by at most {@value #ALLOWED_DELAY_MS} ms. Connections: {@code -Dneutron.loris.connections}.
 */
class SlowLorisIT {
    private static final int CONNECTIONS = Integer.getInteger("neutron.loris.connections", 300);
    private static final int SAMPLES = 40;
    private static final long ALLOWED_DELAY_MS = 100;
    /** Header bytes each loris has sent before the timing starts. */
    private static final int TICKS_BEFORE_TIMING = 3;

    @TempDir
    Path temp;
    private NeutronServer neutron;
    private final List<Socket> loris = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws Exception {
        ticker.shutdownNow();
        for (Socket socket : loris) {
            socket.close();
        }
        if (neutron != null) {
            neutron.close();
        }
    }

    @Test
    void hundredsOfByteASecondConnectionsDoNotDelayANormalRequest() throws Exception {
        neutron = new NeutronServer(temp.resolve("data"), Map.of()).start();
        int port = URI.create(neutron.baseUrl()).getPort();
        neutron.createSession("a chat to list");
        time(port, SAMPLES); // warm-up: the JIT and Jetty's pools
        List<Long> baseline = time(port, SAMPLES);

        for (int i = 0; i < CONNECTIONS; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write(("GET /api/v1/chat/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Slow: ")
                    .getBytes(StandardCharsets.US_ASCII));
            loris.add(socket);
        }
        AtomicInteger ticks = new AtomicInteger();
        AtomicInteger open = new AtomicInteger(CONNECTIONS);
        ticker.scheduleAtFixedRate(() -> {
            int stillOpen = 0;
            for (Socket socket : loris.toArray(new Socket[0])) {
                try {
                    socket.getOutputStream().write('a');
                    stillOpen++;
                } catch (IOException closedByServer) {
                    // counted as not open
                }
            }
            open.set(stillOpen);
            ticks.incrementAndGet();
        }, 1, 1, TimeUnit.SECONDS);
        while (ticks.get() < TICKS_BEFORE_TIMING) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        List<Long> underLoris = time(port, SAMPLES);
        int openAtEnd = open.get();

        long baseMedian = percentile(baseline, 50);
        long baseP90 = percentile(baseline, 90);
        long lorisMedian = percentile(underLoris, 50);
        long lorisP90 = percentile(underLoris, 90);
        System.out.printf("Slow loris: %d connections sending a byte a second (%d still open after %d s); a normal request "
                + "took median %d ms, p90 %d ms without them and median %d ms, p90 %d ms with them%n", CONNECTIONS, openAtEnd,
                ticks.get(), baseMedian, baseP90, lorisMedian, lorisP90);
        assertTrue(lorisMedian <= baseMedian + ALLOWED_DELAY_MS, "median " + lorisMedian + " ms vs " + baseMedian + " ms");
        assertTrue(lorisP90 <= baseP90 + ALLOWED_DELAY_MS, "p90 " + lorisP90 + " ms vs " + baseP90 + " ms");
    }

    /** Times {@code count} session-list requests, each on a new connection as a new client makes it. */
    private static List<Long> time(int port, int count) throws IOException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            RawHttp.Response response = RawHttp.exchange(port, "GET /api/v1/chat/sessions HTTP/1.1\nHost: 127.0.0.1:" + port
                    + "\nConnection: close\n");
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertEquals(200, response.status(), response.body());
        }
        return millis;
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }
}
