package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Proxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Without a provider that offers model management, every management call is a clear 503, never a 500. */
class ModelManagementServletTest {

    private static ModelManagementConfig defaults() {
        return (ModelManagementConfig) Proxy.newProxyInstance(ModelManagementConfig.class.getClassLoader(),
                new Class<?>[] {ModelManagementConfig.class}, (proxy, method, args) -> method.getDefaultValue());
    }

    @ParameterizedTest
    @CsvSource({"GET,", "GET,/loaded", "POST,/pull", "GET,/jobs", "GET,/jobs/abc/events", "DELETE,/jobs/abc",
        "POST,/copy", "POST,/load", "POST,/unload", "POST,/blobs", "POST,/create", "DELETE,"})
    void everyCallIsRefusedWithServiceUnavailableWhenNoProviderManagesModels(String method, String path) throws Exception {
        ModelManagementServlet servlet = new ModelManagementServlet(defaults());
        FakeExchange exchange = FakeExchange.sessions(method, path).json("{\"name\":\"x:1\"}");
        servlet.service(exchange.request(), exchange.response());
        assertEquals(503, exchange.status, exchange.text());
        JsonNode error = Json.MAPPER.readTree(exchange.text()).path("error");
        assertEquals("service_unavailable", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("cannot manage models"), error.toString());
        servlet.deactivate();
    }
}
