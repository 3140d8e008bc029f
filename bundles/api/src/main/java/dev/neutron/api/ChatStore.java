package dev.neutron.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where sessions and their messages live. Implementations must be safe under concurrent calls, must make an appended
 * message durable before returning, and must validate session ids ({@link ChatSession#ID_PATTERN}) on every call.
 *
 * <p>The messages of a session form a tree by {@link ChatMessage#parentId()}; the session's
 * {@link ChatSession#activeLeafId() active leaf} picks the branch that is shown and sent to the model: the walk from
 * the leaf up to the first message. A chat written before trees existed is one straight branch.
 */
@ConsumerType
public interface ChatStore {

    /** A session without a title (null or blank) is {@code New chat} with {@link ChatSession#autoTitle()} true. */
    ChatSession createSession(NewSession request);

    /** All sessions, most recently updated first. */
    List<ChatSession> listSessions();

    Optional<ChatSession> findSession(String sessionId);

    /**
     * Applies the patch's non-null fields; a title with {@link SessionPatch#autoTitle()} only while the session's
     * {@link ChatSession#autoTitle()} is true, checked in the same step (otherwise the title is left as it is and, when
     * nothing else changes, so is the session).
     *
     * @return the session as it is now
     * @throws NeutronException {@code session_not_found}
     */
    ChatSession updateSession(String sessionId, SessionPatch patch);

    /** @return false if there was no such session */
    boolean deleteSession(String sessionId);

    /**
     * Appends durably. A message without {@code parentId} follows the session's active leaf (none: it is the first);
     * one with a {@code parentId} starts or continues that branch. Either way the message becomes the active leaf.
     *
     * @return the message as stored, its {@code parentId} set
     * @throws NeutronException {@code session_not_found}; {@code message_not_found} when {@code parentId} names no
     *                          message of the session
     */
    ChatMessage appendMessage(String sessionId, ChatMessage message);

    /**
     * The active branch: from the first message down to the session's active leaf, in order. For a chat without
     * branches that is its whole history. @throws NeutronException {@code session_not_found}
     */
    List<ChatMessage> messages(String sessionId);

    /**
     * Every message of the session, all branches, in the order they were appended (a parent always before its
     * children), each with its {@code parentId} set (null only for the first). A store without branches returns
     * {@link #messages}.
     *
     * @throws NeutronException {@code session_not_found}
     * @since 2.2
     */
    default List<ChatMessage> allMessages(String sessionId) {
        return messages(sessionId);
    }

    /**
     * Makes {@code messageId} the active leaf: {@link #messages} then returns the branch that ends at it. It changes
     * neither {@code updatedAt} nor any message.
     *
     * @return the session as it is now
     * @throws NeutronException {@code session_not_found}; {@code message_not_found}; {@code service_unavailable}
     *                          from a store without branches
     * @since 2.2
     */
    default ChatSession setActiveLeaf(String sessionId, String messageId) {
        throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "The active chat store (" + getClass().getSimpleName() + ") cannot switch branches.");
    }

    /**
     * Adds a session exactly as given (id, title, model, timestamps, active leaf, settings, autoTitle; a title is capped
     * like any other), with no
     * messages yet: for backups and moves between stores. Its {@code messageCount} grows as
     * {@link #importMessages} adds messages, which leave its {@code updatedAt} as given.
     *
     * @return false, changing nothing, when a session with this id exists already
     * @throws NeutronException {@code invalid_session_id}; {@code service_unavailable} from a store that cannot import
     * @since 1.1
     */
    default boolean importSession(ChatSession session) {
        throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "The active chat store (" + getClass().getSimpleName() + ") cannot import chats.");
    }

    /**
     * Appends, durably and in order, those of {@code messages} whose id the session does not hold yet (each message
     * must have an id), without changing the session's {@code updatedAt} or active leaf. Parents are kept; a message
     * without {@code parentId} (an export made before trees existed) follows the message appended before it, so an
     * old export becomes one straight branch. Importing the same messages twice adds them once.
     *
     * @return how many messages were added
     * @throws NeutronException {@code session_not_found}; {@code service_unavailable} from a store that cannot import
     * @since 1.1
     */
    default int importMessages(String sessionId, List<ChatMessage> messages) {
        throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "The active chat store (" + getClass().getSimpleName() + ") cannot import chats.");
    }

    /**
     * Deletes {@code messageId} and every message under it (the whole branch from there), durably and all or nothing.
     * When the active leaf was in the deleted branch, the newest remaining leaf under the deleted message's parent
     * becomes the active leaf (with no parent: the newest leaf of the chat; none when the chat is empty).
     *
     * @return the session as it is now (its {@code messageCount} lowered)
     * @throws NeutronException {@code session_not_found}; {@code message_not_found}; {@code service_unavailable} from a
     *                          store without branches
     * @since 2.2
     */
    default ChatSession deleteBranch(String sessionId, String messageId) {
        throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "The active chat store (" + getClass().getSimpleName() + ") cannot delete branches.");
    }
}
