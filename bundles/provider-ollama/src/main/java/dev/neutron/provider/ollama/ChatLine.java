package dev.neutron.provider.ollama;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;

/**
 * The fields of one line of a streamed {@code /api/chat} answer that Neutron uses, read with a streaming parser: a
 * line per token, so no tree is built for the rest of it. Each field reads as its {@link JsonNode} would (a number as
 * its text, {@code "true"} as true, a later duplicate key over an earlier one), so the answer is the same as reading
 * the line as a tree; a line that is not JSON fails as the tree would.
 *
 * @param error    the {@code error} field, or missing
 * @param thinking {@code message.thinking}, or missing
 * @param content  {@code message.content}, or missing
 * @param done     {@code done}, or missing; the final line's counts are only read when it is true
 */
record ChatLine(JsonNode error, JsonNode thinking, JsonNode content, JsonNode done, JsonNode doneReason,
        JsonNode promptEvalCount, JsonNode evalCount, JsonNode totalDuration) {

    /** @throws IOException when the line is not JSON */
    static ChatLine parse(String line) throws IOException {
        return parse(OllamaClient.JSON.getFactory().createParser(line));
    }

    /** The line in UTF-8 bytes. */
    static ChatLine parse(byte[] line, int offset, int length) throws IOException {
        return parse(OllamaClient.JSON.getFactory().createParser(line, offset, length));
    }

    private static ChatLine parse(JsonParser opened) throws IOException {
        try (JsonParser parser = opened) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                // valid JSON that is not an object has none of the fields
                parser.skipChildren();
                return empty();
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "error" -> fields.error = value(parser);
                    case "message" -> readMessage(parser, fields);
                    case "done" -> fields.done = value(parser);
                    case "done_reason" -> fields.doneReason = value(parser);
                    case "prompt_eval_count" -> fields.promptEvalCount = value(parser);
                    case "eval_count" -> fields.evalCount = value(parser);
                    case "total_duration" -> fields.totalDuration = value(parser);
                    default -> parser.skipChildren();
                }
            }
            return fields.line();
        }
    }

    private static ChatLine empty() {
        return new Fields().line();
    }

    /** {@code message}: a later one replaces an earlier one whole, as in a tree. */
    private static void readMessage(JsonParser parser, Fields fields) throws IOException {
        fields.thinking = MissingNode.getInstance();
        fields.content = MissingNode.getInstance();
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "thinking" -> fields.thinking = value(parser);
                case "content" -> fields.content = value(parser);
                default -> parser.skipChildren();
            }
        }
    }

    /** The value at the parser as a node: the common scalars directly, anything else read as a tree. */
    private static JsonNode value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.INT
                    ? IntNode.valueOf(parser.getIntValue()) : OllamaClient.JSON.readTree(parser);
            default -> OllamaClient.JSON.readTree(parser);
        };
    }

    private static final class Fields {
        JsonNode error = MissingNode.getInstance();
        JsonNode thinking = MissingNode.getInstance();
        JsonNode content = MissingNode.getInstance();
        JsonNode done = MissingNode.getInstance();
        JsonNode doneReason = MissingNode.getInstance();
        JsonNode promptEvalCount = MissingNode.getInstance();
        JsonNode evalCount = MissingNode.getInstance();
        JsonNode totalDuration = MissingNode.getInstance();

        ChatLine line() {
            return new ChatLine(error, thinking, content, done, doneReason, promptEvalCount, evalCount, totalDuration);
        }
    }
}
