package dev.neutron.search.index;

import java.time.Instant;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;

/**
 * The index's schema: one document per message, one per chat title (which also records the chat's stamp) and one per
 * attachment with extracted text. Raise {@link #SCHEMA} when it changes: an index of another schema is rebuilt.
 */
final class IndexFields {
    static final String SCHEMA = "2";

    static final String KIND = "kind";
    static final String SESSION = "sessionId";
    static final String MESSAGE = "messageId";
    static final String ROLE = "role";
    static final String MODEL = "model";
    static final String CREATED = "createdAt";
    static final String ATTACHMENT = "attachmentId";
    static final String FILE_NAME = "fileName";
    static final String STAMP = "stamp";
    /** The text, stored for snippets; indexed as words and their English stems (see {@link Analyzers}). */
    static final String TEXT = "text";

    static final String KIND_MESSAGE = "message";
    static final String KIND_TITLE = "title";
    static final String KIND_ATTACHMENT = "attachment";

    private IndexFields() {
    }

    static Document message(String sessionId, String messageId, String role, String model, Instant createdAt, String text) {
        Document doc = common(KIND_MESSAGE, sessionId, createdAt, text);
        doc.add(new StringField(MESSAGE, messageId, Field.Store.YES));
        optional(doc, ROLE, role);
        optional(doc, MODEL, model);
        return doc;
    }

    static Document title(String sessionId, String title, String model, Instant createdAt, String stamp) {
        Document doc = common(KIND_TITLE, sessionId, createdAt, title);
        optional(doc, MODEL, model);
        doc.add(new StoredField(STAMP, stamp));
        return doc;
    }

    static Document attachment(String sessionId, String attachmentId, String fileName, String messageId, String role,
            String model, Instant createdAt, String text) {
        Document doc = common(KIND_ATTACHMENT, sessionId, createdAt, text);
        doc.add(new StringField(ATTACHMENT, attachmentId, Field.Store.YES));
        doc.add(new StoredField(FILE_NAME, fileName == null ? "" : fileName));
        String nameWords = fileName == null ? "" : fileName.replaceAll("[._\\-]+", " ");
        doc.add(new TextField(TEXT, nameWords, Field.Store.NO));
        optional(doc, MESSAGE, messageId);
        optional(doc, ROLE, role);
        optional(doc, MODEL, model);
        return doc;
    }

    private static Document common(String kind, String sessionId, Instant createdAt, String text) {
        Document doc = new Document();
        doc.add(new StringField(KIND, kind, Field.Store.YES));
        doc.add(new StringField(SESSION, sessionId, Field.Store.YES));
        long millis = createdAt == null ? 0 : createdAt.toEpochMilli();
        doc.add(new LongPoint(CREATED, millis));
        doc.add(new NumericDocValuesField(CREATED, millis));
        doc.add(new StoredField(CREATED, millis));
        String value = text == null ? "" : text;
        doc.add(new TextField(TEXT, value, Field.Store.YES));
        return doc;
    }

    private static void optional(Document doc, String field, String value) {
        if (value != null && !value.isEmpty()) {
            doc.add(new StringField(field, value, Field.Store.YES));
        }
    }

    static String string(Document doc, String field) {
        return doc.get(field);
    }

    static Instant instant(Document doc, String field) {
        IndexableField value = doc.getField(field);
        return value == null || value.numericValue() == null ? null : Instant.ofEpochMilli(value.numericValue().longValue());
    }
}
