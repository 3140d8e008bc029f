package dev.neutron.upload;

import dev.neutron.api.Attachment;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Which session and attachment ids are valid, and how a new attachment id is made. */
final class Ids {
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);
    private static final Pattern ATTACHMENT_ID = Pattern.compile(Attachment.ID_PATTERN);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static void requireSessionId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
    }

    static boolean isAttachmentId(String attachmentId) {
        return attachmentId != null && ATTACHMENT_ID.matcher(attachmentId).matches();
    }

    /** A random {@code att_<16 hex>} that none of {@code existing} has. */
    static String newAttachmentId(List<Attachment> existing) {
        while (true) {
            byte[] bytes = new byte[8];
            RANDOM.nextBytes(bytes);
            String id = "att_" + HexFormat.of().formatHex(bytes);
            if (existing.stream().noneMatch(a -> a.id().equals(id))) {
                return id;
            }
        }
    }
}
