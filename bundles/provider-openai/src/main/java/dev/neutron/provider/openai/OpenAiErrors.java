package dev.neutron.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every failure talking to one OpenAI-compatible server, mapped once to a coded {@link NeutronException} that names
 * the server and the configuration to fix. Text quoted from the server never contains the API key.
 */
final class OpenAiErrors {
    private static final int MAX_QUOTED_CHARS = 500;

    private final OpenAiSettings settings;
    private final String server;

    OpenAiErrors(OpenAiSettings settings) {
        this.settings = settings;
        this.server = "The OpenAI-compatible server of provider '" + settings.providerId() + "' at " + settings.baseUrl();
    }

    NeutronException unreachable(Throwable cause) {
        return new NeutronException(ErrorCode.PROVIDER_UNREACHABLE, server + " is not reachable. Start it, or fix baseUrl in "
                + settings.configuredIn() + ".", cause);
    }

    NeutronException modelNotFound(String displayName) {
        return new NeutronException(ErrorCode.MODEL_NOT_FOUND, "Model '" + displayName + "' is not available at "
                + settings.baseUrl() + ". Pick one listed by GET /api/v1/chat/models.");
    }

    /** An HTTP error status instead of an answer; {@code displayName} is null for calls about no model. */
    NeutronException forStatus(int status, String body, String path, String displayName) {
        if (status == 401 || status == 403) {
            return new NeutronException(ErrorCode.PROVIDER_ERROR, server + " refused " + path + " with HTTP " + status
                    + ": check the apiKey in " + settings.configuredIn() + (settings.hasApiKey() ? "." : " (none is set)."));
        }
        if (status == 404 && displayName != null) {
            return modelNotFound(displayName);
        }
        if (status == 404) {
            return new NeutronException(ErrorCode.PROVIDER_ERROR, server + " has no " + path + " (HTTP 404). Check "
                    + "baseUrl in " + settings.configuredIn() + ": it is the URL that /models and /chat/completions hang "
                    + "off, usually ending in /v1" + (settings.baseUrl().getPath().endsWith("/v1") ? "."
                            : " (" + settings.baseUrl() + "/v1?)."));
        }
        return new NeutronException(ErrorCode.PROVIDER_ERROR,
                server + " answered " + path + " with HTTP " + status + ": " + errorText(body));
    }

    /** An {@code {"error":…}} object sent in place of a chunk. */
    NeutronException errorEvent(JsonNode error, boolean outputStarted) {
        String message = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
        return new NeutronException(ErrorCode.PROVIDER_ERROR, server + " reported an error "
                + (outputStarted ? "mid-answer" : "instead of an answer") + ": " + quote(message));
    }

    NeutronException notJson(String what, String text, JsonProcessingException cause) {
        return new NeutronException(ErrorCode.PROVIDER_ERROR, server + " sent " + what + " that is not JSON: "
                + quote(text), cause);
    }

    NeutronException closedEarly(Throwable cause) {
        return new NeutronException(ErrorCode.PROVIDER_ERROR, server + " closed the connection before the answer was "
                + "complete.", cause);
    }

    NeutronException idleTimeout() {
        Duration idle = settings.idleTimeout();
        String took = idle.toMillis() % 1000 == 0 ? idle.toSeconds() + " s" : idle.toMillis() + " ms";
        return new NeutronException(ErrorCode.PROVIDER_TIMEOUT, server + " sent nothing for " + took + ", so the "
                + "answer was abandoned. Try again, or raise idleTimeoutMs in " + settings.configuredIn() + ".");
    }

    NeutronException providerStopped() {
        return new NeutronException(ErrorCode.PROVIDER_REMOVED, "The model backend '" + settings.providerId()
                + "' was stopped or reconfigured while answering; send the message again.");
    }

    /** Any failure of a call, including those wrapped by a future. */
    NeutronException translate(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NeutronException neutron) {
            return neutron;
        }
        if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || cause instanceof UnresolvedAddressException || cause.getCause() instanceof UnresolvedAddressException) {
            return unreachable(cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return idleTimeout();
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new NeutronException(ErrorCode.PROVIDER_ERROR, "Interrupted while waiting for " + settings.baseUrl() + ".");
        }
        if (cause instanceof IOException) {
            return new NeutronException(ErrorCode.PROVIDER_ERROR, "The connection to " + settings.baseUrl()
                    + " failed: " + quote(String.valueOf(cause.getMessage())), cause);
        }
        return new NeutronException(ErrorCode.INTERNAL_ERROR, "Streaming from " + settings.baseUrl() + " failed: " + cause, cause);
    }

    /** {@code error.message} (or a textual {@code error}) of an error body, else the body itself. */
    private String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "(no details)";
        }
        try {
            JsonNode error = OpenAiClient.JSON.readTree(body).path("error");
            if (error.isTextual() || error.path("message").isTextual()) {
                return quote(error.isTextual() ? error.asText() : error.get("message").asText());
            }
        } catch (JsonProcessingException notJson) {
            // not the usual error shape: quote the body as it is
        }
        return quote(body.strip());
    }

    /** Shortened, and with the API key blanked out should the server echo it. */
    private String quote(String text) {
        String safe = settings.hasApiKey() ? text.replace(settings.apiKey(), "***") : text;
        return safe.length() <= MAX_QUOTED_CHARS ? safe : safe.substring(0, MAX_QUOTED_CHARS) + "…";
    }
}
