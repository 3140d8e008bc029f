package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiTokenTest {
    private final ApiToken token = ApiToken.of("correct horse battery staple");

    @ParameterizedTest
    @ValueSource(strings = {"Bearer correct horse battery staple", "bearer correct horse battery staple",
        "BEARER  correct horse battery staple "})
    void acceptsTheBearerToken(String header) {
        assertTrue(token.acceptsAuthorization(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer correct horse battery", "Bearer correct horse battery staple!",
        "Basic correct horse battery staple", "correct horse battery staple", "Bearercorrect horse battery staple",
        "Bearer CORRECT HORSE BATTERY STAPLE"})
    void refusesAnythingElse(String header) {
        assertFalse(token.acceptsAuthorization(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void aBlankTokenMeansNoneAndAcceptsNothing(String value) {
        ApiToken none = ApiToken.of(value);
        assertFalse(none.isSet());
        assertFalse(none.acceptsAuthorization("Bearer "));
        assertFalse(none.acceptsAuthorization("Bearer " + value));
    }

    @Test
    void neverShowsTheToken() {
        assertEquals("ApiToken[set]", token.toString());
    }
}
