package dev.neutron.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The JSONL store as DS registers it in a real framework, used through the {@link ChatStore} service only. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ChatStoreInFrameworkTest {

    @InjectService(timeout = 60_000)
    ChatStore store;

    @Test
    void registersTheJsonlStoreAsADeclarativeServicesComponent(
            @InjectService(timeout = 60_000) ServiceAware<ChatStore> stores) {
        ServiceReference<ChatStore> reference = stores.getServiceReference();
        assertEquals("dev.neutron.store.jsonl", reference.getBundle().getSymbolicName());
        assertNotNull(reference.getProperty("component.name"), "registered by DS");
    }

    @Test
    void createsListsRenamesAndReadsBackAppendedMessages() {
        ChatSession created = store.createSession(new NewSession("Integration test chat", null));
        assertTrue(created.id().matches(ChatSession.ID_PATTERN), created.id());
        assertEquals("Integration test chat", created.title());
        assertTrue(store.listSessions().stream().anyMatch(s -> s.id().equals(created.id())), "listed after creation");

        ChatSession renamed = store.updateSession(created.id(), new SessionPatch("Renamed in the framework", null));
        assertEquals("Renamed in the framework", renamed.title());

        ChatMessage question = message(MessageRole.user, "What is OSGi?");
        ChatMessage answer = message(MessageRole.assistant, "A module system for Java.");
        store.appendMessage(created.id(), question);
        store.appendMessage(created.id(), answer);

        List<ChatMessage> history = store.messages(created.id());
        assertEquals(List.of(question.id(), answer.id()), history.stream().map(ChatMessage::id).toList());
        assertEquals("What is OSGi?", history.get(0).content());
        assertEquals(MessageRole.assistant, history.get(1).role());
        assertEquals(2, store.findSession(created.id()).orElseThrow().messageCount());
    }

    @Test
    void keepsEachHistoryInAJsonlFileUnderTheConfiguredDataDirectory() throws IOException {
        ChatSession created = store.createSession(new NewSession("On disk", null));
        store.appendMessage(created.id(), message(MessageRole.user, "persist me"));

        Path dataDir = Path.of(System.getProperty("neutron.data.dir"));
        Path history = dataDir.resolve("chats").resolve(created.id() + ".jsonl");
        assertTrue(Files.isRegularFile(history), "expected " + history);
        // the session list: sessions.json as of the last start, and what changed since in sessions.journal
        String sessionList = textIfAny(dataDir.resolve("chats/sessions.json"))
                + textIfAny(dataDir.resolve("chats/sessions.journal"));
        assertTrue(sessionList.contains(created.id()), "expected the chat in sessions.json or sessions.journal in "
                + dataDir);
    }

    @Test
    void rejectsSessionIdsThatCouldLeaveTheDataDirectory() {
        NeutronException rejected = assertThrows(NeutronException.class, () -> store.messages("../../etc/passwd"));
        assertEquals(ErrorCode.INVALID_SESSION_ID, rejected.code());
    }

    @Test
    void deletesASessionAndReportsItGone() {
        ChatSession created = store.createSession(new NewSession("To delete", null));
        assertTrue(store.deleteSession(created.id()));
        assertTrue(store.findSession(created.id()).isEmpty());
        assertEquals(false, store.deleteSession(created.id()));
        NeutronException missing = assertThrows(NeutronException.class, () -> store.messages(created.id()));
        assertEquals(ErrorCode.SESSION_NOT_FOUND, missing.code());
    }

    private static ChatMessage message(MessageRole role, String content) {
        return new ChatMessage("msg_" + UUID.randomUUID().toString().replace("-", ""), role, content, null,
                Instant.now(), MessageStatus.complete, List.of(), null, null);
    }

    private static String textIfAny(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }
}
