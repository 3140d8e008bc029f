package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.DataDirectory;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileAttachmentStoreTest {
    private static final String SESSION = "chat_0123456789abcdef";
    private static final String OTHER = "chat_fedcba9876543210";

    @TempDir
    Path dataDir;

    private FileAttachmentStore newStore() {
        return new FileAttachmentStore(dataDir);
    }

    private FileAttachmentStore newStore(long maxFileBytes, long maxSessionBytes, int maxFiles) {
        return new FileAttachmentStore(dataDir, maxFileBytes, maxSessionBytes, maxFiles, Clock.systemUTC());
    }

    private static InputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the data directory, relative to it. */
    private List<String> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).map(p -> dataDir.relativize(p).toString().replace('\\', '/'))
                    .sorted().collect(Collectors.toList());
        }
    }

    private List<String> uploadsFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("uploads"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static NeutronException failsWith(ErrorCode code, Runnable action) {
        NeutronException e = assertThrows(NeutronException.class, action::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    // ---- round trip ----

    @Test
    void keepsAttachmentsAcrossRestart() {
        FileAttachmentStore store = newStore();
        Attachment notes = store.store(SESSION, "notes.md", text("# Notes\nünïcödé ✓"));
        Attachment image = store.store(SESSION, "pixel.png", new ByteArrayInputStream(TestFiles.PNG));

        FileAttachmentStore reopened = newStore();
        assertEquals(List.of(notes, image), reopened.list(SESSION));
        assertEquals(notes, reopened.find(SESSION, notes.id()).orElseThrow());
        assertEquals("# Notes\nünïcödé ✓", new String(read(reopened.open(SESSION, notes.id())), StandardCharsets.UTF_8));
        assertArrayEquals(TestFiles.PNG, read(reopened.open(SESSION, image.id())));
        assertEquals(List.of(), reopened.list(OTHER));
    }

    @Test
    void describesTheStoredFile() {
        Attachment a = newStore().store(SESSION, "../Notes 1.md", text("hello"));
        assertTrue(a.id().matches("att_[0-9a-f]{16}"), a.id());
        assertTrue(a.id().matches(Attachment.ID_PATTERN));
        assertEquals(SESSION, a.sessionId());
        assertEquals("Notes 1.md", a.fileName());
        assertEquals("text/markdown", a.contentType());
        assertEquals(AttachmentKind.text, a.kind());
        assertEquals(5, a.size());
        assertTrue(Files.isRegularFile(dataDir.resolve("uploads").resolve(SESSION + "_" + a.id() + "_Notes 1.md")));
        assertTrue(Files.isRegularFile(dataDir.resolve("uploads").resolve(SESSION + ".attachments.json")));
    }

    @Test
    void resolvesTheDataDirectoryFromTheSystemPropertyWhenNotConfigured() {
        String previous = System.getProperty(DataDirectory.PROPERTY);
        System.setProperty(DataDirectory.PROPERTY, dataDir.toString());
        try {
            FileAttachmentStore store = new FileAttachmentStore(config(""));
            assertEquals(dataDir.resolve("uploads").toAbsolutePath().normalize(), store.uploadsDirectory());
        } finally {
            if (previous == null) {
                System.clearProperty(DataDirectory.PROPERTY);
            } else {
                System.setProperty(DataDirectory.PROPERTY, previous);
            }
        }
        Path configured = dataDir.resolve("elsewhere");
        assertEquals(configured.resolve("uploads"), new FileAttachmentStore(config(configured.toString())).uploadsDirectory());
    }

    private static UploadConfig config(String dataDir) {
        return new UploadConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return UploadConfig.class;
            }

            @Override
            public String dataDir() {
                return dataDir;
            }

            @Override
            public long maxFileBytes() {
                return FileAttachmentStore.DEFAULT_MAX_FILE_BYTES;
            }

            @Override
            public long maxSessionBytes() {
                return FileAttachmentStore.DEFAULT_MAX_SESSION_BYTES;
            }

            @Override
            public int maxFilesPerSession() {
                return FileAttachmentStore.DEFAULT_MAX_FILES_PER_SESSION;
            }
        };
    }

    // ---- limits ----

    @Test
    void rejectsAFileOneByteOverTwentyMegabytesAndKeepsNothing() throws IOException {
        FileAttachmentStore store = newStore();
        NeutronException e = failsWith(ErrorCode.UPLOAD_TOO_LARGE,
                () -> store.store(SESSION, "big.txt", new TestFiles.GeneratedText(20L * 1024 * 1024 + 1)));
        assertEquals(413, e.code().httpStatus());
        assertTrue(e.getMessage().contains("20 MB"), e.getMessage());
        assertEquals(List.of(), uploadsFiles());
        assertEquals(List.of(), store.list(SESSION));
    }

    @Test
    void acceptsAFileOfExactlyTheLimit() {
        Attachment a = newStore(1000, 10_000, 5).store(SESSION, "exact.txt", new TestFiles.GeneratedText(1000));
        assertEquals(1000, a.size());
    }

    @Test
    void stopsReadingAsSoonAsTheLimitIsPassed() {
        FileAttachmentStore store = newStore(100_000, 1_000_000, 5);
        TestFiles.GeneratedText endless = new TestFiles.GeneratedText(Long.MAX_VALUE);
        failsWith(ErrorCode.UPLOAD_TOO_LARGE, () -> store.store(SESSION, "endless.txt", endless));
        assertTrue(endless.read <= 100_000 + 64 * 1024, "read " + endless.read + " bytes");
    }

    @Test
    void limitsTheNumberOfFilesPerSession() throws IOException {
        FileAttachmentStore store = newStore(1000, 100_000, 3);
        for (int i = 0; i < 3; i++) {
            store.store(SESSION, "f" + i + ".txt", text("file " + i));
        }
        NeutronException e = failsWith(ErrorCode.UPLOAD_TOO_LARGE, () -> store.store(SESSION, "f4.txt", text("four")));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        assertEquals(3, store.list(SESSION).size());
        assertEquals(4, uploadsFiles().size(), "three files and the list: " + uploadsFiles());
        store.store(OTHER, "other.txt", text("another chat has its own limit"));
        store.delete(SESSION, store.list(SESSION).get(0).id());
        store.store(SESSION, "f4.txt", text("room again"));
    }

    @Test
    void limitsTheTotalBytesPerSession() throws IOException {
        FileAttachmentStore store = newStore(1000, 2500, 10);
        store.store(SESSION, "a.txt", new TestFiles.GeneratedText(1000));
        store.store(SESSION, "b.txt", new TestFiles.GeneratedText(1000));
        NeutronException e = failsWith(ErrorCode.UPLOAD_TOO_LARGE,
                () -> store.store(SESSION, "c.txt", new TestFiles.GeneratedText(501)));
        assertTrue(e.getMessage().contains("2500 bytes"), e.getMessage());
        assertEquals(3, uploadsFiles().size(), uploadsFiles().toString());
        store.store(SESSION, "d.txt", new TestFiles.GeneratedText(500));
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThrows(IllegalArgumentException.class, () -> newStore(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> newStore(1, 1, 0));
    }

    // ---- type detection ----

    static Stream<Arguments> acceptedFiles() {
        byte[] pdf = "%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                Arguments.of("notes.txt", "hello world\n".getBytes(StandardCharsets.UTF_8), "text", "text/plain"),
                Arguments.of("unicode.txt", "ünïcödé ✓ 日本語 😀 ε".getBytes(StandardCharsets.UTF_8), "text", "text/plain"),
                Arguments.of("bom.txt", "\uFEFFwith a BOM".getBytes(StandardCharsets.UTF_8), "text", "text/plain"),
                Arguments.of("README.MD", "# Title\n".getBytes(StandardCharsets.UTF_8), "text", "text/markdown"),
                Arguments.of("data.json", "{\"a\": [1, 2, \"ü\"]}".getBytes(StandardCharsets.UTF_8), "text", "application/json"),
                Arguments.of("table.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text", "text/csv"),
                Arguments.of("main.py", "print('hi')\n".getBytes(StandardCharsets.UTF_8), "text", "text/x-source"),
                Arguments.of("App.java", "class App {}\n".getBytes(StandardCharsets.UTF_8), "text", "text/x-source"),
                Arguments.of("page.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), "text", "text/x-source"),
                Arguments.of("config.yml", "a: 1\n".getBytes(StandardCharsets.UTF_8), "text", "text/x-source"),
                Arguments.of("Makefile", "all:\n\techo hi\n".getBytes(StandardCharsets.UTF_8), "text", "text/plain"),
                Arguments.of("empty.txt", new byte[0], "text", "text/plain"),
                Arguments.of("picture.png", TestFiles.PNG, "image", "image/png"),
                Arguments.of("photo.jpg", TestFiles.JPEG, "image", "image/jpeg"),
                Arguments.of("anim.gif", TestFiles.GIF, "image", "image/gif"),
                Arguments.of("pic.webp", TestFiles.WEBP, "image", "image/webp"),
                Arguments.of("doc.pdf", pdf, "pdf", "application/pdf"),
                Arguments.of("not-really.txt", TestFiles.PNG, "image", "image/png"),
                Arguments.of("no-extension", pdf, "pdf", "application/pdf"),
                Arguments.of("fake.png", "just text".getBytes(StandardCharsets.UTF_8), "text", "text/plain"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {3}")
    @MethodSource("acceptedFiles")
    void detectsTheTypeFromTheContentNotTheName(String name, byte[] content, String kind, String contentType) {
        FileAttachmentStore store = newStore();
        Attachment a = store.store(SESSION, name, new ByteArrayInputStream(content));
        assertEquals(kind, a.kind().name());
        assertEquals(contentType, a.contentType());
        assertEquals(content.length, a.size());
        assertArrayEquals(content, read(store.open(SESSION, a.id())));
    }

    static Stream<Arguments> rejectedFiles() {
        return Stream.of(
                Arguments.of("program", TestFiles.ELF),
                Arguments.of("archive.zip", TestFiles.ZIP),
                Arguments.of("archive.txt", TestFiles.ZIP),
                Arguments.of("nul.txt", "text with a \u0000 NUL byte".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("utf16.txt", "\uFEFFhello".getBytes(StandardCharsets.UTF_16LE)),
                Arguments.of("latin1.txt", "caf\u00E9 cr\u00E8me".getBytes(StandardCharsets.ISO_8859_1)),
                Arguments.of("cut.txt", TestFiles.concat("abc".getBytes(StandardCharsets.US_ASCII), TestFiles.bytes(0xE2, 0x82))),
                Arguments.of("overlong.txt", TestFiles.bytes('a', 0xC0, 0xAF)),
                Arguments.of("surrogate.txt", TestFiles.bytes('a', 0xED, 0xA0, 0x80)),
                Arguments.of("one.bin", TestFiles.bytes(0xFF)),
                Arguments.of("late-binary.txt", TestFiles.concat("x".repeat(200_000).getBytes(StandardCharsets.US_ASCII),
                        TestFiles.bytes(0x00, 0x01, 0x02))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejectedFiles")
    void rejectsWhatIsNeitherTextNorPdfNorImageAndKeepsNothing(String name, byte[] content) throws IOException {
        FileAttachmentStore store = newStore();
        NeutronException e = failsWith(ErrorCode.UNSUPPORTED_FILE_TYPE,
                () -> store.store(SESSION, name, new ByteArrayInputStream(content)));
        assertEquals(415, e.code().httpStatus());
        assertTrue(e.getMessage().contains("PDF") && e.getMessage().contains("PNG") && e.getMessage().contains("UTF-8"),
                e.getMessage());
        assertEquals(List.of(), uploadsFiles());
        assertEquals(List.of(), store.list(SESSION));
    }

    @ParameterizedTest(name = "{0} bytes per read")
    @ValueSource(ints = {1, 2, 3, 7, 65_535, 65_537})
    void recognisesUtf8WhoseCharactersAreSplitAcrossReads(int chunk) {
        byte[] content = "ünïcödé ✓ 日本語 😀 ".repeat(6000).getBytes(StandardCharsets.UTF_8); // > 64 KiB
        Attachment a = newStore().store(SESSION, "split.txt", new TestFiles.Trickle(content, chunk));
        assertEquals(AttachmentKind.text, a.kind());
        assertEquals(content.length, a.size());
    }

    @Test
    void rejectsBinaryAsSoonAsItIsRecognisedWithoutReadingTheRest() {
        FileAttachmentStore store = newStore();
        byte[] head = TestFiles.ELF;
        AtomicInteger served = new AtomicInteger();
        InputStream endlessBinary = new InputStream() {
            @Override
            public int read() {
                int i = served.getAndIncrement();
                return i < head.length ? head[i] & 0xFF : 0;
            }
        };
        failsWith(ErrorCode.UNSUPPORTED_FILE_TYPE, () -> store.store(SESSION, "a.out", endlessBinary));
        assertTrue(served.get() <= 2 * 64 * 1024, "read " + served.get() + " bytes");
    }

    // ---- names and paths ----

    static Stream<String> hostileNames() {
        return Stream.of("../../x", "../../../../../../etc/passwd", "/etc/passwd", "C:\\Windows\\x.txt",
                "..\\..\\x.txt", "a\u0000b.txt", "\u0000", "x".repeat(10_000), "\u6F22".repeat(10_000) + ".txt",
                "evil\u202Etxt.exe", "\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Fescape.txt", "\uFF0E\uFF0E", "", "   ", ".", "..",
                "...", "./", "~/.ssh/authorized_keys", "uploads/../../x", "con", "NUL.txt", "a/b/c/", null);
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("hostileNames")
    void keepsEveryFileInsideUploadsWhateverTheName(String clientName) throws IOException {
        FileAttachmentStore store = newStore();
        Attachment a = store.store(SESSION, clientName, text("payload"));
        assertEquals(FileNames.sanitise(clientName), a.fileName());
        assertFalse(a.fileName().isEmpty() || a.fileName().contains("/") || a.fileName().contains("\\")
                || a.fileName().startsWith("."), a.fileName());
        Path uploads = dataDir.resolve("uploads").toAbsolutePath().normalize();
        Path stored = store.contentPath(a);
        assertTrue(stored.normalize().startsWith(uploads), stored.toString());
        assertEquals(uploads, stored.getParent());
        for (String file : allFiles()) {
            assertTrue(file.matches("uploads/[^/]+"), file);
        }
        assertEquals("payload", new String(read(store.open(SESSION, a.id())), StandardCharsets.UTF_8));
    }

    @Test
    void ignoresListEntriesThatWouldPointOutsideUploads() throws IOException {
        FileAttachmentStore store = newStore();
        Attachment good = store.store(SESSION, "good.txt", text("fine"));
        Path list = dataDir.resolve("uploads").resolve(SESSION + ".attachments.json");
        String tampered = Files.readString(list).replace("\"good.txt\"", "\"../../../etc/passwd\"");
        Files.writeString(list, tampered);
        assertEquals(List.of(), store.list(SESSION));
        failsWith(ErrorCode.ATTACHMENT_NOT_FOUND, () -> store.open(SESSION, good.id()));
    }

    // ---- ids ----

    @ParameterizedTest
    @ValueSource(strings = {"", "chat_", "chat_ABCDEF0123456789", "../etc", "chat_0123456789abcdef/../x",
            "chat_0123456789abcdef\u0000", "CHAT_0123456789abcdef"})
    void rejectsInvalidSessionIdsOnEveryCall(String sessionId) {
        FileAttachmentStore store = newStore();
        String id = "att_0123456789abcdef";
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.store(sessionId, "a.txt", text("x")));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.list(sessionId));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.find(sessionId, id));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.open(sessionId, id));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.delete(sessionId, id));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.deleteAll(sessionId));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.extract(sessionId, id, 100));
        failsWith(ErrorCode.INVALID_SESSION_ID, () -> store.list(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "att_", "att_../../x", "att_0123456789ABCDEF", "x_0123456789abcdef",
            "att_0123456789abcdef/", "att_0123456789abcdef"})
    void treatsInvalidOrUnknownAttachmentIdsAsNotFound(String attachmentId) {
        FileAttachmentStore store = newStore();
        store.store(SESSION, "a.txt", text("x"));
        assertTrue(store.find(SESSION, attachmentId).isEmpty());
        assertFalse(store.delete(SESSION, attachmentId));
        failsWith(ErrorCode.ATTACHMENT_NOT_FOUND, () -> store.open(SESSION, attachmentId));
        failsWith(ErrorCode.ATTACHMENT_NOT_FOUND, () -> store.extract(SESSION, attachmentId, 10));
    }

    @Test
    void anAttachmentIsOnlyReachableThroughItsOwnSession() {
        FileAttachmentStore store = newStore();
        Attachment a = store.store(SESSION, "secret.txt", text("mine"));
        assertTrue(store.find(OTHER, a.id()).isEmpty());
        failsWith(ErrorCode.ATTACHMENT_NOT_FOUND, () -> store.open(OTHER, a.id()));
        assertFalse(store.delete(OTHER, a.id()));
        assertEquals(List.of(a), store.list(SESSION));
    }

    // ---- extraction ----

    @Test
    void givesTextFilesAsTextCutToTheLimit() {
        FileAttachmentStore store = newStore();
        Attachment a = store.store(SESSION, "digits.txt", text("0123456789"));
        assertEquals(new AttachmentContent(a, "0123456789", false, null), store.extract(SESSION, a.id(), 100));
        assertEquals(new AttachmentContent(a, "0123456789", false, null), store.extract(SESSION, a.id(), 10));
        assertEquals(new AttachmentContent(a, "0123", true, null), store.extract(SESSION, a.id(), 4));
        assertEquals(new AttachmentContent(a, "", true, null), store.extract(SESSION, a.id(), 0));
        assertEquals("0123456789", store.extract(SESSION, a.id(), Integer.MAX_VALUE).text());
        failsWith(ErrorCode.INVALID_REQUEST, () -> store.extract(SESSION, a.id(), -1));
    }

    // ---- concurrency and failures ----

    @Test
    void storesConcurrentUploadsToOneSessionWithoutLosingAny() throws Exception {
        FileAttachmentStore store = newStore(1000, 1_000_000, 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Attachment>>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Attachment> stored = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    stored.add(store.store(SESSION, "t" + thread + "-" + i + ".txt", text("thread " + thread + " file " + i)));
                }
                return stored;
            }));
        }
        Set<String> ids = new HashSet<>();
        for (Future<List<Attachment>> result : results) {
            result.get(60, TimeUnit.SECONDS).forEach(a -> ids.add(a.id()));
        }
        pool.shutdown();
        assertEquals(80, ids.size());
        List<Attachment> listed = store.list(SESSION);
        assertEquals(ids, listed.stream().map(Attachment::id).collect(Collectors.toSet()));
        JsonNode json = new ObjectMapper().readTree(dataDir.resolve("uploads").resolve(SESSION + ".attachments.json").toFile());
        assertTrue(json.isArray());
        assertEquals(80, json.size());
        assertEquals(81, uploadsFiles().size(), "80 files and the list");
        assertEquals(listed, newStore(1000, 1_000_000, 100).list(SESSION));
        for (Attachment a : listed) {
            assertTrue(new String(read(store.open(SESSION, a.id())), StandardCharsets.UTF_8).startsWith("thread "));
        }
    }

    @Test
    void concurrentUploadsNeverPassTheSessionLimit() throws Exception {
        FileAttachmentStore store = newStore(1000, 1_000_000, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            results.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    try {
                        store.store(SESSION, "f.txt", text("content"));
                        stored.incrementAndGet();
                    } catch (NeutronException e) {
                        assertEquals(ErrorCode.UPLOAD_TOO_LARGE, e.code());
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(50, stored.get());
        assertEquals(30, refused.get());
        assertEquals(50, store.list(SESSION).size());
        assertEquals(51, uploadsFiles().size());
    }

    @Test
    void anUploadCutOffMidwayLeavesNoFile() throws IOException {
        FileAttachmentStore store = newStore();
        store.store(SESSION, "kept.txt", text("kept"));
        List<String> before = uploadsFiles();
        NeutronException e = failsWith(ErrorCode.INVALID_REQUEST,
                () -> store.store(SESSION, "cut.txt", new TestFiles.Failing(200_000)));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(before, uploadsFiles());
        assertEquals(1, store.list(SESSION).size());
    }

    // ---- deletion ----

    @Test
    void deletesOneAttachment() throws IOException {
        FileAttachmentStore store = newStore();
        Attachment a = store.store(SESSION, "a.txt", text("a"));
        Attachment b = store.store(SESSION, "b.txt", text("b"));
        assertTrue(store.delete(SESSION, a.id()));
        assertFalse(store.delete(SESSION, a.id()));
        assertEquals(List.of(b), store.list(SESSION));
        failsWith(ErrorCode.ATTACHMENT_NOT_FOUND, () -> store.open(SESSION, a.id()));
        assertEquals(List.of(SESSION + ".attachments.json", SESSION + "_" + b.id() + "_b.txt"), uploadsFiles());
        assertTrue(store.delete(SESSION, b.id()));
        assertEquals(List.of(), uploadsFiles(), "an empty list is removed too");
    }

    @Test
    void deleteAllRemovesTheSessionsFilesAndListOnly() throws IOException {
        FileAttachmentStore store = newStore();
        store.store(SESSION, "a.txt", text("a"));
        store.store(SESSION, "b.png", new ByteArrayInputStream(TestFiles.PNG));
        Attachment other = store.store(OTHER, "c.txt", text("c"));
        store.deleteAll(SESSION);
        assertEquals(List.of(), store.list(SESSION));
        assertEquals(List.of(OTHER + ".attachments.json", OTHER + "_" + other.id() + "_c.txt"), uploadsFiles());
        assertEquals(List.of(other), newStore().list(OTHER));
        store.deleteAll(SESSION); // nothing left: no error
        store.store(SESSION, "again.txt", text("a new start"));
        assertEquals(1, store.list(SESSION).size());
    }
}
