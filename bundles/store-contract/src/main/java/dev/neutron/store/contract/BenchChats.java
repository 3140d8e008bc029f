package dev.neutron.store.contract;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The chats the storage benchmarks of every store measure (scripts/bench-storage): {@link #SESSIONS} sessions of
 * {@link #MESSAGES_PER_SESSION} messages each, plus two long chats of {@link #LONG} and {@link #LONGER} messages.
 * Each message is one straight branch after the one before it, with text of a typical answer's length.
 */
public final class BenchChats {
    public static final int SESSIONS = 10_000;
    public static final int MESSAGES_PER_SESSION = 4;
    public static final int LONG = 1_000;
    public static final int LONGER = 10_000;
    public static final String LONG_ID = sessionId(SESSIONS);
    public static final String LONGER_ID = sessionId(SESSIONS + 1);
    /** The session the append benchmarks write to: one of the ordinary ones. */
    public static final String APPEND_ID = sessionId(SESSIONS / 2);
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TEXT = ("A typical answer of a small model, with a little **markdown**, a list:\n"
            + "- one point\n- another point\n\nand a code block:\n```java\nSystem.out.println(\"hello\");\n```\n")
            .repeat(4);

    private BenchChats() {
    }

    public static String sessionId(int n) {
        return "chat_%016x".formatted(n);
    }

    /** Every session, long chats last; each with its count, newest message time and active leaf. */
    public static List<ChatSession> sessions() {
        List<ChatSession> sessions = new ArrayList<>(SESSIONS + 2);
        for (int n = 0; n < SESSIONS + 2; n++) {
            int count = count(n);
            Instant created = EPOCH.plusSeconds(n * 60L);
            sessions.add(new ChatSession(sessionId(n), "Chat number " + n, "smollm2:135m", created,
                    created.plusSeconds(count), count, messageId(n, count - 1), null, false));
        }
        return sessions;
    }

    /** The messages of session {@code n} (as numbered by {@link #sessionId}). */
    public static List<ChatMessage> messages(int n) {
        int count = count(n);
        List<ChatMessage> messages = new ArrayList<>(count);
        Instant created = EPOCH.plusSeconds(n * 60L);
        for (int i = 0; i < count; i++) {
            messages.add(message(messageId(n, i), i % 2 == 0 ? MessageRole.user : MessageRole.assistant,
                    created.plusSeconds(i), i == 0 ? null : messageId(n, i - 1)));
        }
        return messages;
    }

    /** A new assistant answer with this id and no parent (a store appends it to the active leaf). */
    public static ChatMessage answer(String id) {
        return message(id, MessageRole.assistant, Instant.now(), null);
    }

    private static ChatMessage message(String id, MessageRole role, Instant at, String parent) {
        return new ChatMessage(id, role, TEXT, role == MessageRole.assistant ? "smollm2:135m" : null, at,
                MessageStatus.complete, List.of(), null, null, parent);
    }

    private static int count(int n) {
        return n == SESSIONS ? LONG : n == SESSIONS + 1 ? LONGER : MESSAGES_PER_SESSION;
    }

    private static String messageId(int session, int i) {
        return "msg_%08x_%06d".formatted(session, i);
    }
}
