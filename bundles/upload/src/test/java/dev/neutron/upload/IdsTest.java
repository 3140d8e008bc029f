package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "chat_", "chat_ABCDEF0123456789", "../etc", "chat_0123456789abcdef/../x"})
    void refusesSessionIdsThatAreNotChatHex(String sessionId) {
        NeutronException e = assertThrows(NeutronException.class, () -> Ids.requireSessionId(sessionId));
        assertEquals(ErrorCode.INVALID_SESSION_ID, e.code());
    }

    @Test
    void acceptsASessionIdAndKnowsAnAttachmentId() {
        Ids.requireSessionId("chat_0123456789abcdef");
        assertTrue(Ids.isAttachmentId("att_0123456789abcdef"));
        assertFalse(Ids.isAttachmentId("att_../../x"));
        assertFalse(Ids.isAttachmentId(null));
    }

    @Test
    void makesNewAttachmentIdsThatAreValidAndNotTaken() {
        List<Attachment> existing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String id = Ids.newAttachmentId(existing);
            assertTrue(id.matches("att_[0-9a-f]{16}") && Ids.isAttachmentId(id), id);
            assertTrue(seen.add(id), "repeated " + id);
            existing.add(new Attachment(id, "chat_0123456789abcdef", "f", "text/plain", 0, AttachmentKind.text, Instant.EPOCH));
        }
    }
}
