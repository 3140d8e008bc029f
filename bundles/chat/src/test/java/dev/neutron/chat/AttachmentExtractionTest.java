package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.SendMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A chat's attachments are read once, not again for every message that follows. */
class AttachmentExtractionTest {
    private final EngineHarness harness = new EngineHarness(8192, Map.of());
    private final TextAttachments files = new TextAttachments();

    @AfterEach
    void stopEngine() {
        harness.close();
    }

    private String lastPrompt() throws InterruptedException {
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.answer("ok");
        return call.request().messages().get(call.request().messages().size() - 1).content();
    }

    private String promptOf(int index) throws InterruptedException {
        return harness.provider.nextCall().request().messages().get(index).content();
    }

    /** The bug: the PDF was opened twice for one send, once to check it could be read and once for the prompt. */
    @Test
    void aPdfIsReadOncePerSend() throws Exception {
        harness.engine.bindAttachments(files);
        String session = harness.store.newSession();
        String pdf = files.addPdf(session, "report.pdf", "Quarterly figures");

        harness.engine.send(session, new SendMessage("Summarise", FakeModelProvider.MODEL, List.of(pdf)));

        assertTrue(lastPrompt().contains("Quarterly figures"));
        assertEquals(1, files.extractions(pdf));
    }

    /** The bug: every send read every attachment of the whole history again. */
    @Test
    void laterMessagesReuseWhatWasReadOfEarlierAttachments() throws Exception {
        harness.engine.bindAttachments(files);
        String session = harness.store.newSession();
        String text = files.add(session, "notes.txt", "Remember the milk");
        String pdf = files.addPdf(session, "report.pdf", "Quarterly figures");
        harness.engine.send(session, new SendMessage("Read these", FakeModelProvider.MODEL, List.of(text, pdf)));
        lastPrompt();

        for (int i = 0; i < 3; i++) {
            harness.send(session, "question " + i);
            FakeModelProvider.Call call = harness.provider.nextCall();
            assertTrue(call.request().messages().get(0).content().contains("Remember the milk"), "still in the prompt");
            call.answer("ok");
        }

        assertEquals(1, files.extractions(text));
        assertEquals(1, files.extractions(pdf));
    }

    @Test
    void aDeletedAttachmentIsReportedGoneNotServedFromMemory() throws Exception {
        harness.engine.bindAttachments(files);
        String session = harness.store.newSession();
        String text = files.add(session, "notes.txt", "Remember the milk");
        harness.engine.send(session, new SendMessage("Read this", FakeModelProvider.MODEL, List.of(text)));
        lastPrompt();

        files.delete(session, text);
        harness.send(session, "and now?");

        assertEquals("[Attached file " + text + " is no longer available]\n\nRead this", promptOf(0));
    }

    @Test
    void withoutACacheEverySendReadsTheFilesAgain() throws Exception {
        harness.reconfigure("attachmentCacheChars", 0);
        harness.engine.bindAttachments(files);
        String session = harness.store.newSession();
        String text = files.add(session, "notes.txt", "Remember the milk");
        harness.engine.send(session, new SendMessage("Read this", FakeModelProvider.MODEL, List.of(text)));
        lastPrompt();
        harness.send(session, "again");
        lastPrompt();

        assertEquals(2, files.extractions(text));
    }

    @Test
    void aNewAttachmentStoreStartsWithNothingRemembered() throws Exception {
        harness.engine.bindAttachments(files);
        String session = harness.store.newSession();
        String text = files.add(session, "notes.txt", "Remember the milk");
        harness.engine.send(session, new SendMessage("Read this", FakeModelProvider.MODEL, List.of(text)));
        lastPrompt();

        harness.engine.unbindAttachments(files);
        harness.engine.bindAttachments(files);
        harness.send(session, "again");
        lastPrompt();

        assertEquals(2, files.extractions(text));
    }
}
