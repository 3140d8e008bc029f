package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadLimitsTest {
    private final UploadLimits limits = new UploadLimits(1000, 2500, 3);

    private static Attachment sized(long size) {
        return new Attachment("att_0123456789abcdef", "chat_0123456789abcdef", "a.txt", "text/plain", size, AttachmentKind.text,
                Instant.EPOCH);
    }

    @Test
    void statesLimitsInMegabytes() {
        assertEquals("20 MB", UploadLimits.megabytes(20L * 1024 * 1024));
        assertEquals("1.5 MB", UploadLimits.megabytes(1536 * 1024));
        assertEquals("1000 bytes", UploadLimits.megabytes(1000));
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThrows(IllegalArgumentException.class, () -> new UploadLimits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new UploadLimits(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new UploadLimits(1, 1, 0));
    }

    @Test
    void acceptsAFileOfExactlyTheLimitAndRefusesOneByteMore() {
        limits.checkFileSize(1000);
        NeutronException e = assertThrows(NeutronException.class, () -> limits.checkFileSize(1001));
        assertEquals(ErrorCode.UPLOAD_TOO_LARGE, e.code());
        assertEquals("The file is larger than the upload limit of 1000 bytes. Send a smaller file, or raise "
                + "maxFileBytes in the dev.neutron.upload configuration.", e.getMessage());
    }

    @Test
    void refusesTheFileThatWouldPassTheSessionTotal() {
        limits.checkRoomFor(List.of(sized(1000), sized(1000)), 500);
        NeutronException e = assertThrows(NeutronException.class,
                () -> limits.checkRoomFor(List.of(sized(1000), sized(1000)), 501));
        assertEquals(ErrorCode.UPLOAD_TOO_LARGE, e.code());
        assertEquals("This file (501 bytes) would take the attachments of this chat past their limit of 2500 bytes "
                + "(2000 bytes used). Remove attachments before adding more.", e.getMessage());
    }

    @Test
    void refusesAFileBeyondTheCountEvenAnEmptyOne() {
        limits.checkRoomFor(List.of(sized(1), sized(1)), 0);
        NeutronException e = assertThrows(NeutronException.class,
                () -> limits.checkRoomFor(List.of(sized(1), sized(1), sized(1)), 0));
        assertEquals(ErrorCode.UPLOAD_TOO_LARGE, e.code());
        assertEquals("This chat already has 3 attachments, the most one chat can hold is 3. Remove an attachment "
                + "before adding another.", e.getMessage());
    }
}
