package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.http.SessionsRoute.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionsRouteTest {
    private static final String ID = "chat_0123456789abcdef";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "none, SESSIONS, none, none",
        "'', SESSIONS, none, none",
        "/, SESSIONS, none, none",
        "/chat_0123456789abcdef, SESSION, chat_0123456789abcdef, none",
        "/chat_0123456789abcdef/messages, MESSAGES, chat_0123456789abcdef, none",
        "/chat_0123456789abcdef/stream, STREAM, chat_0123456789abcdef, none",
        "/chat_0123456789abcdef/stop, STOP, chat_0123456789abcdef, none",
        "/chat_0123456789abcdef/upload, UPLOAD, chat_0123456789abcdef, none",
        "/chat_0123456789abcdef/attachments, ATTACHMENTS, chat_0123456789abcdef, none",
        "/chat_0123456789abcdef/attachments/att_0123456789abcdef, ATTACHMENT, chat_0123456789abcdef, att_0123456789abcdef",
        // an attachment id is checked by its handler, after the session exists (404 attachment_not_found)
        "/chat_0123456789abcdef/attachments/att_X, ATTACHMENT, chat_0123456789abcdef, att_X",
    })
    void mapsEachPathToItsResourceAndIds(String pathInfo, Resource resource, String sessionId, String attachmentId) {
        assertEquals(new SessionsRoute(resource, sessionId, attachmentId), SessionsRoute.of(pathInfo, "/uri"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/chat_0123456789abcdef/messages/msg_1, MESSAGE, msg_1",
        "/chat_0123456789abcdef/messages/msg_1/regenerate, REGENERATE, msg_1",
        // a message id is checked by its handler, against the chat's messages (404 message_not_found)
        "/chat_0123456789abcdef/messages/anything, MESSAGE, anything",
    })
    void mapsMessagePathsToTheMessageAndItsRegeneration(String pathInfo, Resource resource, String messageId) {
        assertEquals(new SessionsRoute(resource, ID, null, messageId), SessionsRoute.of(pathInfo, "/uri"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/chat_X", "/../etc", "/chat_0123", "//messages", "/CHAT_0123456789ABCDEF"})
    void refusesAMalformedSessionIdBeforeAnythingElse(String pathInfo) {
        NeutronException e = assertThrows(NeutronException.class, () -> SessionsRoute.of(pathInfo, "/uri"));
        assertEquals(ErrorCode.INVALID_SESSION_ID, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/" + ID + "/nope", "/" + ID + "/", "/" + ID + "/messages/", "/" + ID + "/attachments/a/b",
        "/" + ID + "/stream/x", "/" + ID + "/messages/m/again", "/" + ID + "/messages//regenerate",
        "/" + ID + "/messages/m/regenerate/x"})
    void answersNotFoundForOtherPathsNamingTheUri(String pathInfo) {
        NeutronException e = assertThrows(NeutronException.class,
                () -> SessionsRoute.of(pathInfo, "/api/v1/chat/sessions" + pathInfo));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals("Nothing at /api/v1/chat/sessions" + pathInfo + ". See CHAT_API.md.", e.getMessage());
    }
}
