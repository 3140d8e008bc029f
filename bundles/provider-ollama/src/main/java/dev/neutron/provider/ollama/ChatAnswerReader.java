package dev.neutron.provider.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatResult;
import dev.neutron.api.NeutronException;
import dev.neutron.api.TokenListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the NDJSON body of a streamed {@code /api/chat} answer: hands each delta of {@code message.thinking} and of
 * {@code message.content} to the listener, each to its own method, and returns how the answer ended. Lines are cut
 * over the whole byte stream (by a reader, or by the HTTP client's line subscriber), so a line or a UTF-8 character
 * split across network reads arrives whole.
 */
final class ChatAnswerReader {
    private final TokenListener listener;
    private boolean outputStarted;

    ChatAnswerReader(TokenListener listener) {
        this.listener = listener;
    }

    /** @throws NeutronException when Ollama reports an error, sends something unreadable, or the stream ends early */
    ChatResult read(InputStream body) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                ChatResult end = line(line);
                if (end != null) {
                    return end;
                }
            }
            return endOfStream();
        } catch (IOException e) {
            throw OllamaErrors.closedEarly(e);
        }
    }

    /**
     * One line of the answer, as it arrives: its deltas go to the listener.
     *
     * @return how the answer ended when this is the final line, else null
     * @throws NeutronException when Ollama reports an error or sends something unreadable
     */
    ChatResult line(String line) {
        if (line.isBlank()) {
            return null;
        }
        return handle(parse(line));
    }

    /**
     * The same for a line in UTF-8 bytes, read as they are when they are ASCII (a line per token, mostly), else
     * decoded first as the text form would be (a malformed sequence becomes U+FFFD).
     */
    ChatResult line(byte[] bytes, int offset, int length) {
        boolean blank = true;
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b < 0) {
                return line(new String(bytes, offset, length, StandardCharsets.UTF_8));
            }
            blank &= Character.isWhitespace(b);
        }
        if (blank) {
            return null;
        }
        try {
            return handle(ChatLine.parse(bytes, offset, length));
        } catch (JsonProcessingException e) {
            throw OllamaErrors.notJson("a line", new String(bytes, offset, length, StandardCharsets.US_ASCII), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array is read without I/O
        }
    }

    private ChatResult handle(ChatLine event) {
        if (present(event.error())) {
            throw OllamaErrors.errorLine(event.error().asText(), outputStarted);
        }
        String thinking = event.thinking().asText("");
        if (!thinking.isEmpty()) {
            outputStarted = true;
            listener.onThinking(thinking);
        }
        String delta = event.content().asText("");
        if (!delta.isEmpty()) {
            outputStarted = true;
            listener.onToken(delta);
        }
        return event.done().asBoolean(false) ? finalResult(event) : null;
    }

    /** The body ended before the final line. */
    ChatResult endOfStream() {
        throw OllamaErrors.closedEarly(null);
    }

    private static ChatLine parse(String line) {
        try {
            return ChatLine.parse(line);
        } catch (JsonProcessingException e) {
            throw OllamaErrors.notJson("a line", line, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String is read without I/O
        }
    }

    private static boolean present(JsonNode node) {
        return !node.isMissingNode() && !node.isNull();
    }

    private static ChatResult finalResult(ChatLine done) {
        return new ChatResult(
                done.doneReason().asText("stop"),
                present(done.promptEvalCount()) ? done.promptEvalCount().asInt() : null,
                present(done.evalCount()) ? done.evalCount().asInt() : null,
                present(done.totalDuration()) ? done.totalDuration().asLong() : null);
    }
}
