package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnfinishedWritesTest {
    @Test
    void anUploadInProgressAndAnIndexBeingReplacedAreUnfinished() {
        assertTrue(UploadsDirectory.isUnfinishedWrite(".upload-123456789.tmp"));
        assertTrue(UploadsDirectory.isUnfinishedWrite("chat_0123456789ab.attachments.json.tmp"));
    }

    @Test
    void aKeptAttachmentWhoseNameEndsLikeATemporaryFileIsNot() {
        assertFalse(UploadsDirectory.isUnfinishedWrite("chat_0123456789ab_att_0123456789ab_notes.attachments.json.tmp"));
        assertFalse(UploadsDirectory.isUnfinishedWrite("chat_0123456789ab_att_0123456789ab_pic.e19e0df9e0d.tmp"));
        assertFalse(UploadsDirectory.isUnfinishedWrite("chat_0123456789ab.attachments.json"));
    }
}
