package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The messages of the chats read last, each by the record text it was parsed from, so that reading a chat again
 * parses only the rows whose text was not there before. The rows themselves still come from the database each time:
 * what another Neutron on the same database wrote is read as it is, and a record changed in place is parsed again.
 * Least recently read chats go first once their records together pass a budget of characters.
 */
final class ParsedRecords {
    private record Parsed(Map<String, ChatMessage> byRecord, long chars) {
    }

    private final long budgetChars;
    private final LinkedHashMap<String, Parsed> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;

    ParsedRecords(long budgetChars) {
        this.budgetChars = budgetChars;
    }

    /** The messages of {@code rows}, in their order; {@code parse} reads a record not seen at the last read. */
    List<ChatMessage> read(String sessionId, List<MessageRow> rows, Function<String, ChatMessage> parse) {
        Parsed before;
        synchronized (this) {
            before = sessions.get(sessionId);
        }
        Map<String, ChatMessage> byRecord = new HashMap<>(rows.size() * 2);
        List<ChatMessage> messages = new ArrayList<>(rows.size());
        long total = 0;
        for (MessageRow row : rows) {
            String record = row.record();
            ChatMessage message = before == null ? null : before.byRecord().get(record);
            if (message == null) {
                message = parse.apply(record);
            }
            messages.add(message);
            byRecord.put(record, message);
            total += record.length();
        }
        synchronized (this) {
            forget(sessionId);
            if (total <= budgetChars) {
                sessions.put(sessionId, new Parsed(byRecord, total));
                chars += total;
                Iterator<Parsed> oldest = sessions.values().iterator();
                while (chars > budgetChars && oldest.hasNext()) {
                    chars -= oldest.next().chars();
                    oldest.remove();
                }
            }
        }
        return messages;
    }

    synchronized void forget(String sessionId) {
        Parsed gone = sessions.remove(sessionId);
        if (gone != null) {
            chars -= gone.chars();
        }
    }
}
