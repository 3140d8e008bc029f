package dev.neutron.store.jsonl;

import dev.neutron.api.ChatSession;
import dev.neutron.store.codec.SessionListCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code sessions.json} of a data directory's {@code chats} folder holds. */
final class SessionsFile {
    private SessionsFile() {
    }

    static List<ChatSession> sessions(Path chats) {
        return entries(chats).stream().map(SessionListCodec.Entry::session).toList();
    }

    /** Session id → the history size on record (null: none). */
    static Map<String, Long> historyBytes(Path chats) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        entries(chats).forEach(entry -> sizes.put(entry.session().id(), entry.historyBytes()));
        return sizes;
    }

    /**
     * Session id → the history size on record (null: none) as a start finds it: sessions.json (if any) with
     * sessions.journal read over it.
     */
    static Map<String, Long> recordedHistoryBytes(Path chats) {
        Map<String, ChatSession> sessions = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        if (Files.exists(chats.resolve("sessions.json"))) {
            entries(chats).forEach(entry -> {
                sessions.put(entry.session().id(), entry.session());
                if (entry.historyBytes() != null) {
                    sizes.put(entry.session().id(), entry.historyBytes());
                }
            });
        }
        try {
            new SessionJournal(chats).replay(sessions, sizes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sizes;
    }

    /** Session id → the size of its history file now (0: none), for the sessions of {@code sessions}. */
    static Map<String, Long> actualHistoryBytes(Path chats, List<ChatSession> sessions) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (ChatSession session : sessions) {
            Path file = chats.resolve(session.id() + ".jsonl");
            try {
                sizes.put(session.id(), Files.exists(file) ? Files.size(file) : 0L);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sizes;
    }

    private static List<SessionListCodec.Entry> entries(Path chats) {
        try {
            return SessionListCodec.readEntries(Files.readAllBytes(chats.resolve("sessions.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
