package dev.neutron.provider.ollama;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Ollama says when a pull or create fails, as coded errors a person can act on. */
final class ModelJobErrors {
    /** The model store in a path of Ollama's error text: the folder holding {@code blobs/} or {@code manifests/}. */
    private static final Pattern MODELS_DIR = Pattern.compile("((?:[A-Za-z]:)?[/\\\\][^\n\"':]*?)[/\\\\](?:blobs|manifests)[/\\\\]");

    private ModelJobErrors() {
    }

    /** Ollama's error text of a pull of {@code name}. */
    static NeutronException pullFailed(String name, String ollamaText) {
        String text = ollamaText == null ? "" : ollamaText;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota") || lower.contains("not enough space")) {
            return diskFull(text);
        }
        if (lower.contains("file does not exist") || lower.contains("manifest unknown") || lower.contains("not found")
                || lower.contains("name unknown")) {
            return new NeutronException(ErrorCode.MODEL_NOT_FOUND, "The registry has no model '" + name
                    + "' (Ollama: " + text + "). Check the name and tag, e.g. 'llama3.2:1b'.");
        }
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("dial tcp")
                || lower.contains("i/o timeout") || lower.contains("connection reset") || lower.contains("eof")
                || lower.contains("tls") || lower.contains("http: server gave http response to https client")
                || lower.contains("timeout")) {
            return new NeutronException(ErrorCode.REGISTRY_UNREACHABLE, "The registry of '" + name
                    + "' could not be reached or stopped answering (Ollama: " + text + "). Check the network and the "
                    + "registry, then pull again: layers already downloaded are kept. For a local plain-HTTP registry "
                    + "set \"insecure\": true.");
        }
        return new NeutronException(ErrorCode.PROVIDER_ERROR, "Pulling '" + name + "' failed (Ollama: " + text + ").");
    }

    static NeutronException createFailed(String name, String ollamaText) {
        String text = ollamaText == null ? "" : ollamaText;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota")) {
            return diskFull(text);
        }
        if (lower.contains("invalid model name") || lower.contains("invalid name")) {
            return new NeutronException(ErrorCode.INVALID_REQUEST, "'" + name + "' is not a valid model name (Ollama: "
                    + text + "). Use letters, digits, '-', '_', '.' and an optional ':tag'.");
        }
        return new NeutronException(ErrorCode.PROVIDER_ERROR, "Creating '" + name + "' failed (Ollama: " + text
                + "). Check that the uploaded file is a GGUF model and the template is valid.");
    }

    /** The pull made no progress for {@code silence} while Ollama was fetching from the registry (silent or gone). */
    static NeutronException registryStalled(String name, Duration silence) {
        return new NeutronException(ErrorCode.REGISTRY_UNREACHABLE, "The registry of '" + name + "' stopped answering: "
                + "no progress for " + silence.toSeconds() + " s, so the pull was stopped. Check the network and the "
                + "registry, then pull again: layers already downloaded are kept.");
    }

    static NeutronException diskFull(String text) {
        Matcher dir = MODELS_DIR.matcher(text);
        String store = dir.find() ? "Ollama's model store " + dir.group(1) : "Ollama's model store (OLLAMA_MODELS)";
        return new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "The disk of " + store + " is full (Ollama: "
                + text + "). Delete models you do not need or free space on that disk, then try again.");
    }

    static NeutronException cancelled(String kind, String name) {
        return new NeutronException(ErrorCode.CANCELLED, "The " + kind + " of '" + name + "' was cancelled.");
    }
}
