package dev.neutron.upload;

import dev.neutron.api.Attachment;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.util.List;
import java.util.Locale;

/** The upload limits, checked and put into words here only. */
record UploadLimits(long maxFileBytes, long maxSessionBytes, int maxFilesPerSession) {
    private static final double MB = 1024 * 1024;

    UploadLimits {
        if (maxFileBytes <= 0 || maxSessionBytes <= 0 || maxFilesPerSession <= 0) {
            throw new IllegalArgumentException("Upload limits must be positive: maxFileBytes=" + maxFileBytes
                    + ", maxSessionBytes=" + maxSessionBytes + ", maxFilesPerSession=" + maxFilesPerSession);
        }
    }

    /** Called as the bytes arrive, so a file too large is refused as soon as it passes the limit. */
    void checkFileSize(long bytesSoFar) {
        if (bytesSoFar > maxFileBytes) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "The file is larger than the upload limit of "
                    + megabytes(maxFileBytes) + ". Send a smaller file, or raise maxFileBytes in the "
                    + FileAttachmentStore.PID + " configuration.");
        }
    }

    /** Whether a session holding {@code attachments} may take one more file of {@code newFileBytes}. */
    void checkRoomFor(List<Attachment> attachments, long newFileBytes) {
        if (attachments.size() >= maxFilesPerSession) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "This chat already has " + attachments.size()
                    + " attachments, the most one chat can hold is " + maxFilesPerSession
                    + ". Remove an attachment before adding another.");
        }
        long used = attachments.stream().mapToLong(Attachment::size).sum();
        if (used + newFileBytes > maxSessionBytes) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "This file (" + megabytes(newFileBytes)
                    + ") would take the attachments of this chat past their limit of " + megabytes(maxSessionBytes)
                    + " (" + megabytes(used) + " used). Remove attachments before adding more.");
        }
    }

    static String megabytes(long bytes) {
        double mb = bytes / MB;
        if (mb < 0.1) {
            return bytes + " bytes";
        }
        return (mb == Math.rint(mb) ? String.valueOf((long) mb) : String.format(Locale.ROOT, "%.1f", mb)) + " MB";
    }
}
