package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentIndexTest {
    private static final String SESSION = "chat_0123456789abcdef";

    @TempDir
    Path dataDir;

    private static Attachment attachment(String id, String fileName) {
        return new Attachment(id, SESSION, fileName, "text/plain", 5, AttachmentKind.text, Instant.parse("2026-11-26T21:26:09.449Z"));
    }

    private final Attachment a = attachment("att_000000000000000a", "a.txt");
    private final Attachment b = attachment("att_000000000000000b", "b.txt");

    private List<String> uploadsFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("uploads"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT));
        assertEquals(List.of(), index.read(SESSION));
        assertFalse(index.exists(SESSION));
        index.write(SESSION, List.of(a, b));
        assertEquals(List.of(a, b), index.read(SESSION));
        assertEquals(List.of(a, b), new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT)).read(SESSION));
        JsonNode json = new ObjectMapper().readTree(dataDir.resolve("uploads/" + SESSION + ".attachments.json").toFile());
        assertEquals("2026-11-26T21:26:09.449Z", json.get(0).get("createdAt").asText());
        assertEquals("text", json.get(0).get("kind").asText());
        assertEquals(List.of(SESSION + ".attachments.json"), uploadsFiles(), "no temporary file is left");
    }

    @Test
    void anEmptyListIsNoFile() throws IOException {
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT));
        index.write(SESSION, List.of(a));
        index.write(SESSION, List.of());
        assertEquals(List.of(), uploadsFiles());
        assertEquals(List.of(), index.read(SESSION));
    }

    @Test
    void replacingFailsOnAFullDiskLeavingTheOldListWholeAndNoTemporaryFile() throws IOException {
        ScriptedFullDisk disk = new ScriptedFullDisk(dataDir, Long.MAX_VALUE);
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, disk));
        index.write(SESSION, List.of(a));
        Path file = dataDir.resolve("uploads/" + SESSION + ".attachments.json");
        byte[] before = Files.readAllBytes(file);
        disk.leaveFree(10);

        NeutronException e = assertThrows(NeutronException.class, () -> index.write(SESSION, List.of(a, b)));
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code());
        assertTrue(e.getMessage().startsWith("Could not write the attachment list of " + SESSION
                + ": the disk is full. Free disk space"), e.getMessage());
        assertEquals(1, disk.refusals());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(SESSION + ".attachments.json"), uploadsFiles());
        assertEquals(List.of(a), index.read(SESSION));
    }

    @Test
    void ignoresEntriesThatAreNotWhatTheStoreWrites() throws IOException {
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT));
        index.write(SESSION, List.of(a, b, attachment("att_000000000000000c", "c.txt"),
                attachment("att_000000000000000d", "d.txt")));
        Path file = dataDir.resolve("uploads/" + SESSION + ".attachments.json");
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode entries = (ArrayNode) mapper.readTree(file.toFile());
        ((ObjectNode) entries.get(1)).put("fileName", "../../../etc/passwd");
        ((ObjectNode) entries.get(2)).put("id", "att_../../x");
        ((ObjectNode) entries.get(3)).put("sessionId", "chat_fedcba9876543210");
        mapper.writeValue(file.toFile(), entries);
        assertEquals(List.of(a), index.read(SESSION));
    }

    @Test
    void leavesOutAnEntryOfAKindItDoesNotKnowAndKeepsTheRest() throws IOException {
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT));
        index.write(SESSION, List.of(a, b));
        Path file = dataDir.resolve("uploads/" + SESSION + ".attachments.json");
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode entries = (ArrayNode) mapper.readTree(file.toFile());
        ((ObjectNode) entries.get(0)).put("kind", "video");
        mapper.writeValue(file.toFile(), entries);
        assertEquals(List.of(b), index.read(SESSION));
    }

    @Test
    void anUnreadableListIsAStorageErrorThatSaysARestartRebuildsIt() throws IOException {
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT));
        Files.writeString(dataDir.resolve("uploads/" + SESSION + ".attachments.json"), "[{\"id\": \"att_");
        assertThrows(IOException.class, () -> index.parse(SESSION));
        NeutronException e = assertThrows(NeutronException.class, () -> index.read(SESSION));
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("The attachment list of " + SESSION + " could not be read ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("Restart Neutron to rebuild it from the files."), e.getMessage());
        Files.writeString(dataDir.resolve("uploads/" + SESSION + ".attachments.json"), "null");
        assertEquals("the file holds no list", assertThrows(IOException.class, () -> index.parse(SESSION)).getMessage());
    }

    @Test
    void setsAnUnreadableListAside() throws IOException {
        AttachmentIndex index = new AttachmentIndex(new UploadsDirectory(dataDir, DiskWrites.DIRECT));
        Files.writeString(dataDir.resolve("uploads/" + SESSION + ".attachments.json"), "garbage");
        Path aside = index.setAside(SESSION, 1234);
        assertEquals(SESSION + ".attachments.json.corrupt-1234", aside.getFileName().toString());
        assertEquals("garbage", Files.readString(aside));
        assertFalse(index.exists(SESSION));
    }
}
