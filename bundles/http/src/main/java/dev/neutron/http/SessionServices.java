package dev.neutron.http;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.util.function.Supplier;

/**
 * The services behind the sessions API, read afresh on every call: each may be swapped or gone while Neutron runs,
 * and a missing one is a {@code service_unavailable} error naming its bundle.
 */
final class SessionServices {
    private final Supplier<ChatStore> store;
    private final Supplier<ChatService> chat;
    private final Supplier<AttachmentStore> attachments;

    SessionServices(Supplier<ChatStore> store, Supplier<ChatService> chat, Supplier<AttachmentStore> attachments) {
        this.store = store;
        this.chat = chat;
        this.attachments = attachments;
    }

    ChatStore store() {
        return ApiServlet.required(store.get(), "chat store", "store");
    }

    ChatService engine() {
        return ApiServlet.required(chat.get(), "chat engine", "chat");
    }

    /** The chat engine, or {@code null} while none runs (listing and deleting chats work without it). */
    ChatService engineIfRunning() {
        return chat.get();
    }

    AttachmentStore attachments() {
        return ApiServlet.required(attachments.get(), "attachment store", "upload");
    }

    /** The attachment store, or {@code null} while none runs. */
    AttachmentStore attachmentsIfRunning() {
        return attachments.get();
    }

    boolean generating(String sessionId) {
        ChatService engine = chat.get();
        return engine != null && engine.isGenerating(sessionId);
    }

    ChatSession existing(ChatStore currentStore, String sessionId) {
        return currentStore.findSession(sessionId).orElseThrow(() -> sessionNotFound(sessionId));
    }

    ChatSession existing(String sessionId) {
        return existing(store(), sessionId);
    }

    static NeutronException sessionNotFound(String sessionId) {
        return new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + ".");
    }
}
