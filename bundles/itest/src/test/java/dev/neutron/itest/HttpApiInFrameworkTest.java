package dev.neutron.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Neutron's servlets on the Felix Jetty 12 whiteboard, reached over real HTTP on the port the runtime picked
 * ({@code org.osgi.service.http.port=0}, read from {@code osgi.http.endpoint}).
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HttpApiInFrameworkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> NEUTRON_SERVLETS = Set.of("neutron-health", "neutron-sessions");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    @InjectService(timeout = 60_000)
    ServiceAware<HttpServiceRuntime> runtime;

    private URI endpoint;

    @BeforeEach
    void findEndpointAndWaitUntilHealthy() throws Exception {
        endpoint = endpointOf(runtime);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            status = get("api/v1/health").statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(50);
        }
        fail("GET /api/v1/health did not answer 200 within " + READY_TIMEOUT + " (last status " + status + ")");
    }

    @Test
    void registersEveryNeutronServletWithoutFailures() {
        RuntimeDTO dto = runtime.getService().getRuntimeDTO();
        List<String> failed = Arrays.stream(dto.failedServletDTOs)
                .map(f -> f.name + " (failure reason " + f.failureReason + ")")
                .toList();
        assertEquals(List.of(), failed, "failed servlet registrations");

        Set<String> registered = Arrays.stream(dto.servletContextDTOs)
                .map(context -> context.servletDTOs)
                .flatMap(Arrays::stream)
                .map(servlet -> servlet.name)
                .collect(Collectors.toSet());
        assertTrue(registered.containsAll(NEUTRON_SERVLETS), "registered servlets: " + registered);
    }

    @Test
    void answersHealthWithOkOnceStoreAndChatEngineAreBound() throws Exception {
        HttpResponse<String> health = get("api/v1/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("application/json", health.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("ok", JSON.readTree(health.body()).path("status").asText(), health.body());
    }

    @Test
    void createsASessionOverHttpThatTheListShows() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(endpoint.resolve("api/v1/chat/sessions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Created by the OSGi integration test\"}")));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode session = JSON.readTree(created.body());
        assertEquals("Created by the OSGi integration test", session.path("title").asText());

        HttpResponse<String> list = get("api/v1/chat/sessions");
        assertEquals(200, list.statusCode(), list.body());
        boolean listed = false;
        for (JsonNode listedSession : JSON.readTree(list.body()).path("sessions")) {
            listed |= listedSession.path("id").asText().equals(session.path("id").asText());
        }
        assertTrue(listed, "the new session is listed: " + list.body());
    }

    @Test
    void answersAnUnknownSessionWithACodedNotFoundError() throws Exception {
        HttpResponse<String> missing = get("api/v1/chat/sessions/chat_000000000000");
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals("session_not_found", JSON.readTree(missing.body()).path("error").path("code").asText(), missing.body());
    }

    // --- helpers ---

    private static URI endpointOf(ServiceAware<HttpServiceRuntime> runtime) {
        Object value = runtime.getServiceReference().getProperty("osgi.http.endpoint");
        Collection<?> endpoints = value instanceof String[] array ? List.of(array)
                : value instanceof Collection<?> collection ? collection
                : value == null ? List.of() : List.of(value);
        String first = endpoints.stream().map(String::valueOf).findFirst()
                .orElseThrow(() -> new AssertionError("HttpServiceRuntime has no osgi.http.endpoint"));
        return URI.create(first.endsWith("/") ? first : first + "/");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
