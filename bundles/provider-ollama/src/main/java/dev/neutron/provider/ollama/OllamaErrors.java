package dev.neutron.provider.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Every failure talking to Ollama, mapped once to a coded {@link NeutronException} that says what to do. */
final class OllamaErrors {
    private static final int MAX_QUOTED_CHARS = 500;

    private OllamaErrors() {
    }

    static NeutronException unreachable(URI baseUrl, Throwable cause) {
        return new NeutronException(ErrorCode.PROVIDER_UNREACHABLE, "Ollama is not reachable at " + baseUrl
                + ". Start it with `ollama serve` (or set OLLAMA_HOST / the baseUrl of PID " + OllamaModelProvider.PID
                + ").", cause);
    }

    static NeutronException modelNotFound(String model) {
        return new NeutronException(ErrorCode.MODEL_NOT_FOUND, "Model '" + model + "' is not available in Ollama. "
                + "Pull it with `ollama pull " + model + "` or pick another model.");
    }

    /** An HTTP error status Ollama sent instead of an answer; {@code model} is null for calls about no model. */
    static NeutronException forStatus(int status, String body, String path, String model) {
        if (status == 404 && model != null) {
            return modelNotFound(model);
        }
        return new NeutronException(ErrorCode.PROVIDER_ERROR,
                "Ollama answered " + path + " with HTTP " + status + ": " + errorText(body));
    }

    static NeutronException errorLine(String ollamaMessage, boolean outputStarted) {
        String when = outputStarted ? "mid-answer" : "instead of an answer";
        return new NeutronException(ErrorCode.PROVIDER_ERROR,
                "Ollama reported an error " + when + ": " + abbreviate(ollamaMessage));
    }

    static NeutronException notJson(String what, String text, JsonProcessingException cause) {
        return new NeutronException(ErrorCode.PROVIDER_ERROR,
                "Ollama sent " + what + " that is not JSON: " + abbreviate(text), cause);
    }

    static NeutronException closedEarly(Throwable cause) {
        return new NeutronException(ErrorCode.PROVIDER_ERROR,
                "The connection to Ollama closed before the answer was complete.", cause);
    }

    static NeutronException idleTimeout(Duration idleTimeout) {
        return new NeutronException(ErrorCode.PROVIDER_TIMEOUT, "Ollama sent nothing for " + describe(idleTimeout)
                + ", so the answer was abandoned. The machine may be overloaded; try again, or raise idleTimeoutMs of PID "
                + OllamaModelProvider.PID + ".");
    }

    static NeutronException providerStopped() {
        return new NeutronException(ErrorCode.PROVIDER_REMOVED,
                "The Ollama provider was stopped or reconfigured while answering; send the message again.");
    }

    static NeutronException interrupted() {
        Thread.currentThread().interrupt();
        return new NeutronException(ErrorCode.PROVIDER_ERROR, "Interrupted while waiting for Ollama.");
    }

    /** Any failure of a call to Ollama, including those wrapped by a future. */
    static NeutronException translate(Throwable failure, URI baseUrl) {
        Throwable cause = unwrap(failure);
        if (cause instanceof NeutronException neutron) {
            return neutron;
        }
        if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
            return unreachable(baseUrl, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new NeutronException(ErrorCode.PROVIDER_TIMEOUT, "Ollama at " + baseUrl + " did not answer in time.", cause);
        }
        if (cause instanceof InterruptedException) {
            return interrupted();
        }
        if (cause instanceof IOException) {
            return new NeutronException(ErrorCode.PROVIDER_ERROR,
                    "The connection to Ollama at " + baseUrl + " failed: " + cause.getMessage(), cause);
        }
        return new NeutronException(ErrorCode.INTERNAL_ERROR, "Streaming from Ollama failed: " + cause, cause);
    }

    /** The {@code error} field of an Ollama error body, else the body itself. */
    static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "(no details)";
        }
        try {
            JsonNode error = OllamaClient.JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return abbreviate(error.asText());
            }
        } catch (JsonProcessingException notJson) {
            // not Ollama's JSON error shape: quote the body as it is
        }
        return abbreviate(body.strip());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_QUOTED_CHARS ? text : text.substring(0, MAX_QUOTED_CHARS) + "…";
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
