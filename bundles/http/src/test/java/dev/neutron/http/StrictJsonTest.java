package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.NeutronException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request bodies are parsed strictly; every violation is a coded 400. */
class StrictJsonTest {
    private static String errorCode(String json, Class<?> type) {
        try {
            Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            return ApiError.fromJson(e).code().code();
        }
        return "accepted";
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "{}xyz | invalid_json",
        "{} {} | invalid_json",
        "{\"title\":\"a\"} [] | invalid_json",
        "{\"title\":\"a\",\"title\":\"b\"} | invalid_json",
        "{\"title\":5} | invalid_request",
        "{\"title\":1.5} | invalid_request",
        "{\"title\":true} | invalid_request",
        "{\"model\":7} | invalid_request",
        "{\"title\":\"a\"} | accepted",
        "{\"title\":null} | accepted"})
    void sessionFields(String json, String expected) {
        assertEquals(expected, errorCode(json, RequestBodies.SessionFields.class));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"content\":5} | invalid_request",
        "{\"content\":\"hi\",\"attachments\":[5]} | invalid_request",
        "{\"content\":\"hi\",\"attachments\":[\"att_1\",\"att_1\"]} | accepted",
        "{\"content\":\"a\",\"content\":\"b\"} | invalid_json",
        "'{\"content\":\"hi\"}  \t ' | accepted"})
    void messageBodies(String json, String expected) {
        assertEquals(expected, errorCode(json, RequestBodies.SendMessageBody.class));
    }

    @Test
    void readsWellFormedUtf8() {
        assertEquals("{\"title\":\"Grüße ✓ 😀\"}", Json.utf8("{\"title\":\"Grüße ✓ 😀\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "C0 AE C0 AE, overlong '..'",
        "E0 80 AE, overlong '.' in three bytes",
        "ED A0 80, a UTF-16 surrogate",
        "FF, never valid",
        "E2 9C, truncated sequence"})
    void refusesOverlongAndMalformedUtf8(String hex, String what) {
        String[] octets = hex.split(" ");
        byte[] body = new byte[octets.length + 12];
        byte[] prefix = "{\"title\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        for (int i = 0; i < octets.length; i++) {
            body[prefix.length + i] = (byte) Integer.parseInt(octets[i], 16);
        }
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        NeutronException e = assertThrows(NeutronException.class, () -> Json.utf8(body), what);
        assertEquals("invalid_json", e.code().code());
    }
}
