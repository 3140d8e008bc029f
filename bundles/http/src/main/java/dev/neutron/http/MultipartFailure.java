package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.util.concurrent.TimeoutException;

/**
 * Turns a failure to parse a multipart upload into the client error it is. Felix HTTP parses with commons-fileupload
 * and wraps its exceptions in an IOException; they are told apart by class name, so this bundle does not depend on
 * commons-fileupload.
 */
final class MultipartFailure {
    private MultipartFailure() {
    }

    static NeutronException of(Exception e, long maxRequestBytes) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String type = cause.getClass().getSimpleName();
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof TimeoutException) {
                return RequestBodyInput.failure(e);
            }
            if (type.equals("FileCountLimitExceededException")) {
                return new NeutronException(ErrorCode.INVALID_REQUEST, "The multipart body has too many parts. "
                        + "Send one file in a field named 'file' (curl -F file=@notes.txt).");
            }
            if (type.equals("SizeLimitExceededException") && message.startsWith("Header section")) {
                return new NeutronException(ErrorCode.INVALID_REQUEST, "A part's headers are too large (a file name "
                        + "of hundreds of characters?). Rename the file and upload it again.");
            }
            if (type.equals("FileSizeLimitExceededException") || type.equals("SizeLimitExceededException")) {
                return new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "The upload is larger than the request limit "
                        + "of " + (maxRequestBytes >> 20) + " MB.");
            }
            if (type.equals("InvalidFileNameException")) {
                return new NeutronException(ErrorCode.INVALID_REQUEST, "The file name contains a NUL character. "
                        + "Rename the file and upload it again.");
            }
            if (type.equals("MalformedStreamException")) {
                return new NeutronException(ErrorCode.INVALID_REQUEST, "The multipart body is malformed (" + message
                        + "): it must end with the closing boundary. Send it with curl -F file=@notes.txt or a browser form.");
            }
        }
        return new NeutronException(ErrorCode.INVALID_REQUEST, "The multipart body could not be read (" + e.getMessage()
                + "). Send the file as multipart/form-data in a field named 'file' (curl -F file=@notes.txt).");
    }
}
