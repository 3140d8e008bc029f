package dev.neutron.store.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ChatSession;
import java.io.IOException;

/**
 * One change to the session list as one line of JSON (no line feed): a session as it now is, or the id of a session
 * removed. The JSONL store appends these to {@code sessions.journal} instead of rewriting {@code sessions.json} per
 * change. @since 1.4
 */
public final class SessionChangeCodec {
    private SessionChangeCodec() {
    }

    /** @param session the session as it now is; {@code null}: the session {@code id} was removed */
    public record Change(String id, ChatSession session) {
    }

    public static byte[] write(Change change) throws JsonProcessingException {
        return StoreMapper.JSON.writeValueAsBytes(change);
    }

    /** @throws IOException when the bytes are not a change (e.g. a line cut short by a crash) */
    public static Change read(byte[] utf8, int offset, int length) throws IOException {
        Change change = StoreMapper.JSON.readValue(utf8, offset, length, Change.class);
        if (change == null || change.id() == null || change.session() != null && !change.id().equals(change.session().id())) {
            throw new IOException("it is not a change of one session");
        }
        return change;
    }
}
