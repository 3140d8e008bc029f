package dev.neutron.store.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.neutron.api.ChatSession;
import java.io.IOException;

/**
 * One change to the session list as one line of JSON (no line feed): a session as it now is, or the id of a session
 * removed. The JSONL store appends these to {@code sessions.journal} instead of rewriting {@code sessions.json} per
 * change. A change may say how many bytes the session's history file had after it ({@code historyBytes}, since 1.5).
 * @since 1.4
 */
public final class SessionChangeCodec {
    private static final ObjectReader CHANGE = StoreMapper.JSON.readerFor(Change.class);

    private SessionChangeCodec() {
    }

    /**
     * @param session the session as it now is; {@code null}: the session {@code id} was removed
     * @param historyBytes the size of the session's history file after the change; {@code null}: not known
     */
    public record Change(String id, ChatSession session,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long historyBytes) {
        public Change(String id, ChatSession session) {
            this(id, session, null);
        }
    }

    public static byte[] write(Change change) throws JsonProcessingException {
        return StoreMapper.JSON.writeValueAsBytes(change);
    }

    /** @throws IOException when the bytes are not a change (e.g. a line cut short by a crash) */
    public static Change read(byte[] utf8, int offset, int length) throws IOException {
        Change change = CHANGE.readValue(utf8, offset, length);
        if (change == null || change.id() == null || change.session() != null && !change.id().equals(change.session().id())) {
            throw new IOException("it is not a change of one session");
        }
        return change;
    }
}
