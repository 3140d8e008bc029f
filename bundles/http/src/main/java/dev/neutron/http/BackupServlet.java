package dev.neutron.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageTree;
import dev.neutron.api.NeutronException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Backups of every chat as NDJSON: {@code GET /api/v1/chat/export} and {@code POST /api/v1/chat/import}. One JSON
 * object per line, each with a {@code type}:
 * <pre>
 * {"type":"neutron-chat-export","version":1,"exportedAt":"…","sessions":2}     header (optional on import)
 * {"type":"session","session":{"id","title","model","createdAt","updatedAt","messageCount","activeLeafId",
 *                              "settings":{"systemPrompt","options","think"},"autoTitle"}}
 * {"type":"message","sessionId":"chat_…","message":{…a stored message…}}         its messages follow, in order
 * {"type":"end","sessions":2,"messages":14}                                        trailer: the export is complete
 * </pre>
 * Messages are those of every branch in the order they were appended, each with its {@code parentId}; a first
 * question after the chat's first message (an edit of it) has the parent {@code ""}, since an import reads a message
 * without parent as following the one before it (exports made before trees).
 * An import is idempotent: sessions whose id exists and messages whose id the session holds are skipped, so the same
 * file can be sent again, or a newer export of the same chats, and only what is missing is added. Lines are streamed
 * both ways, so neither side holds the whole backup in memory. Each session with its messages goes to the store that
 * is active when its session line is read.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({BackupServlet.EXPORT, BackupServlet.IMPORT})
@HttpWhiteboardServletName("neutron-backup")
public class BackupServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final String EXPORT = "/api/v1/chat/export";
    static final String IMPORT = "/api/v1/chat/import";
    static final String FORMAT = "neutron-chat-export";
    static final int VERSION = 1;
    static final int MAX_LINE_BYTES = 16 << 20;
    private static final int BATCH = 500;
    /**
     * Backups from newer versions may carry fields this one does not know: they are ignored, not refused. Fields an
     * import does not use (a session's messageCount) may be left out.
     */
    private static final ObjectReader LENIENT = Json.MAPPER.reader().without(
            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatStore store;

    @Override
    protected int maxJsonBodyBytes() {
        return MAX_LINE_BYTES;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        if (EXPORT.equals(path)) {
            if (!"GET".equals(request.getMethod())) {
                throw methodNotAllowed(request, response, "GET");
            }
            export(response);
        } else if (IMPORT.equals(path)) {
            if (!"POST".equals(request.getMethod())) {
                throw methodNotAllowed(request, response, "POST");
            }
            importBackup(request, response);
        } else {
            throw new NeutronException(ErrorCode.NOT_FOUND, "Nothing at " + request.getRequestURI() + ". See CHAT_API.md.");
        }
    }

    private void export(HttpServletResponse response) throws IOException {
        ChatStore current = store();
        List<ChatSession> sessions = current.listSessions();
        Instant now = Instant.now();
        response.setStatus(200);
        response.setContentType("application/x-ndjson");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Disposition", "attachment; filename=\"neutron-chats-" + FILE_TIME.format(now) + ".ndjson\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("type", FORMAT);
        header.put("version", VERSION);
        header.put("exportedAt", now);
        header.put("sessions", sessions.size());
        line(out, header);
        int exportedSessions = 0;
        int exportedMessages = 0;
        for (ChatSession session : sessions) {
            List<ChatMessage> messages;
            try {
                // every branch, later first questions marked as such, so that the import keeps the tree
                messages = MessageTree.of(current.allMessages(session.id())).forImport();
            } catch (NeutronException e) {
                if (e.code() == ErrorCode.SESSION_NOT_FOUND) {
                    continue; // deleted while the export ran
                }
                throw e;
            }
            ChatSession exported = new ChatSession(session.id(), session.title(), session.model(), session.createdAt(),
                    session.updatedAt(), messages.size(), session.activeLeafId(), session.settings(),
                    session.autoTitle());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", "session");
            entry.put("session", exported);
            line(out, entry);
            for (ChatMessage message : messages) {
                Map<String, Object> messageEntry = new LinkedHashMap<>();
                messageEntry.put("type", "message");
                messageEntry.put("sessionId", session.id());
                messageEntry.put("message", message);
                line(out, messageEntry);
            }
            exportedSessions++;
            exportedMessages += messages.size();
        }
        Map<String, Object> trailer = new LinkedHashMap<>();
        trailer.put("type", "end");
        trailer.put("sessions", exportedSessions);
        trailer.put("messages", exportedMessages);
        line(out, trailer);
        out.flush();
    }

    private static void line(Writer out, Object value) throws IOException {
        out.write(Json.MAPPER.writeValueAsString(value));
        out.write('\n');
    }

    /** Counts of one import. */
    private static final class Counts {
        int sessionsImported;
        int sessionsSkipped;
        int messagesImported;
        int messagesSkipped;
    }

    private void importBackup(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/x-ndjson") && !contentType.startsWith("application/jsonl")) {
            throw new NeutronException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the backup as NDJSON with the header "
                    + "'Content-Type: application/x-ndjson' (curl --data-binary @neutron-chats.ndjson).");
        }
        store(); // fail before reading anything when there is no store
        Counts counts = new Counts();
        InputStream in = new BufferedInputStream(body(request), 1 << 16);
        ChatStore target = null;
        String sessionId = null;
        List<ChatMessage> batch = new ArrayList<>();
        int lineNumber = 0;
        byte[] raw;
        while ((raw = readLine(in, lineNumber + 1)) != null) {
            lineNumber++;
            String text;
            try {
                text = Json.utf8(raw).strip();
            } catch (NeutronException e) {
                throw lineError(lineNumber, ErrorCode.INVALID_JSON, "not valid UTF-8.");
            }
            if (text.isEmpty()) {
                continue;
            }
            JsonNode node = parse(text, lineNumber);
            String type = node.path("type").asText("");
            switch (type) {
                case FORMAT -> {
                    if (node.path("version").asInt(-1) != VERSION) {
                        throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, "export format version "
                                + node.path("version") + " is not supported; this Neutron reads version " + VERSION + ".");
                    }
                }
                case "session" -> {
                    flush(target, sessionId, batch, counts, lineNumber);
                    ChatSession session = read(node.get("session"), ChatSession.class, lineNumber);
                    if (session.id() == null) {
                        throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, "the session has no id.");
                    }
                    target = store();
                    sessionId = session.id();
                    boolean created;
                    try {
                        created = target.importSession(session);
                    } catch (NeutronException e) {
                        throw lineError(lineNumber, e.code(), e.getMessage());
                    }
                    if (created) {
                        counts.sessionsImported++;
                    } else {
                        counts.sessionsSkipped++;
                    }
                }
                case "message" -> {
                    String owner = node.path("sessionId").asText("");
                    ChatMessage message = read(node.get("message"), ChatMessage.class, lineNumber);
                    if (message.id() == null || message.id().isBlank() || message.role() == null || message.content() == null) {
                        throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, "a message needs an id, a role and content.");
                    }
                    if (!owner.equals(sessionId)) {
                        flush(target, sessionId, batch, counts, lineNumber);
                        target = store();
                        sessionId = owner;
                    }
                    batch.add(message);
                    if (batch.size() >= BATCH) {
                        flush(target, sessionId, batch, counts, lineNumber);
                    }
                }
                case "end" -> {
                    // the export's trailer: nothing to import
                }
                default -> throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, "unknown type '" + type
                        + "'; lines are {\"type\":\"session\",…} or {\"type\":\"message\",…}.");
            }
        }
        flush(target, sessionId, batch, counts, lineNumber);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessions", importedAndSkipped(counts.sessionsImported, counts.sessionsSkipped));
        body.put("messages", importedAndSkipped(counts.messagesImported, counts.messagesSkipped));
        writeJson(response, 200, body);
    }

    private static Map<String, Integer> importedAndSkipped(int imported, int skipped) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("imported", imported);
        counts.put("skipped", skipped);
        return counts;
    }

    private static void flush(ChatStore target, String sessionId, List<ChatMessage> batch, Counts counts, int lineNumber) {
        if (batch.isEmpty()) {
            return;
        }
        int added;
        try {
            added = target.importMessages(sessionId, List.copyOf(batch));
        } catch (NeutronException e) {
            throw lineError(lineNumber, e.code(), "importing the messages of " + sessionId + " failed: " + e.getMessage());
        }
        counts.messagesImported += added;
        counts.messagesSkipped += batch.size() - added;
        batch.clear();
    }

    private static JsonNode parse(String text, int lineNumber) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, "each line must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw lineError(lineNumber, ErrorCode.INVALID_JSON, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T read(JsonNode node, Class<T> type, int lineNumber) {
        if (node == null || !node.isObject()) {
            throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, "the " + type.getSimpleName().replace("Chat", "")
                    .toLowerCase(Locale.ROOT) + " object is missing.");
        }
        try {
            return LENIENT.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw lineError(lineNumber, ErrorCode.INVALID_REQUEST, ApiError.fromJson(e).getMessage());
        }
    }

    private static NeutronException lineError(int lineNumber, ErrorCode code, String problem) {
        return new NeutronException(code, "Line " + lineNumber + ": " + problem + " What came before it was imported; "
                + "importing is idempotent, so fix the file and send it again.");
    }

    /** The next line without its newline, or null at the end; refuses lines over {@link #MAX_LINE_BYTES}. */
    private static byte[] readLine(InputStream in, int lineNumber) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw lineError(lineNumber, ErrorCode.PAYLOAD_TOO_LARGE, "the line is longer than "
                        + (MAX_LINE_BYTES >> 20) + " MiB.");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private ChatStore store() {
        return required(store, "chat store", "store");
    }
}
