package dev.neutron.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlCredentialsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://user:secret@ollama.lan:11434, http://***@ollama.lan:11434",
        "https://token@host/base?x=1, https://***@host/base?x=1",
        "http://us%40er:p@ss@host:1/, http://***@host:1/",
        "http://127.0.0.1:11434, http://127.0.0.1:11434",
        "http://host/path@not-userinfo, http://host/path@not-userinfo",
        "http://host?q=a@b, http://host?q=a@b",
        "'', ''",
        "not a url @ all, not a url @ all",
    })
    void hidesOnlyTheUserInfo(String typed, String shown) {
        assertEquals(shown, UrlCredentials.redact(typed));
    }

    @ParameterizedTest(name = "{0} with stored {1} -> {2}")
    @CsvSource({
        // the redacted form sent back keeps the stored credentials
        "http://***@ollama.lan:11434, http://user:secret@ollama.lan:11434, http://user:secret@ollama.lan:11434",
        // anything else is taken as typed
        "http://other:pw@ollama.lan:11434, http://user:secret@ollama.lan:11434, http://other:pw@ollama.lan:11434",
        "http://ollama.lan:11434, http://user:secret@ollama.lan:11434, http://ollama.lan:11434",
        "http://new:11434, '', http://new:11434",
    })
    void restoresTheStoredCredentialsFromTheirRedactedForm(String incoming, String stored, String kept) {
        assertEquals(kept, UrlCredentials.restore(incoming, stored));
    }

    @ParameterizedTest(name = "{0} with stored {1}")
    @CsvSource({
        "http://***@elsewhere:11434, http://user:secret@ollama.lan:11434",
        "http://***@ollama.lan:11434, http://ollama.lan:11434",
        "http://***@ollama.lan:11434, ''",
    })
    void refusesTheMaskForAUrlWhoseStoredCredentialsItDoesNotStandFor(String incoming, String stored) {
        NeutronException e = assertThrows(NeutronException.class, () -> UrlCredentials.restore(incoming, stored));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    }
}
