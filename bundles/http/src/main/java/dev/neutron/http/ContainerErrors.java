package dev.neutron.http;

import dev.neutron.api.ErrorCode;

/**
 * Codes and messages for errors the servlet container raises itself (a malformed request, a URI or headers too
 * large, an unknown path), so they read like every other API error.
 */
final class ContainerErrors {
    static final String URI_TOO_LONG = "uri_too_long";
    static final String HEADERS_TOO_LARGE = "headers_too_large";

    private ContainerErrors() {
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> ErrorCode.INVALID_REQUEST.code();
            case 404 -> ErrorCode.NOT_FOUND.code();
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED.code();
            case 408 -> ErrorCode.REQUEST_TIMEOUT.code();
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE.code();
            case 414 -> URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE.code();
            case 431 -> HEADERS_TOO_LARGE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR.code() : "http_" + status;
        };
    }

    static String message(int status, String detail, Object uri) {
        String reason = detail == null || detail.isBlank() ? "" : ": " + detail;
        return switch (status) {
            case 400 -> "The request could not be understood" + reason + ". Check the URL (session ids contain no "
                    + "slashes or dots), the Host header (exactly one) and the body's encoding.";
            case 404 -> "Nothing at " + uri + ". See CHAT_API.md.";
            case 408 -> "The request did not arrive in time" + reason + ". Send it without pausing.";
            case 414 -> "The URL is too long" + reason + ". Send large data in the request body instead.";
            case 431 -> "The request headers are too large" + reason + ". Send fewer or shorter headers (cookies?).";
            default -> "HTTP error " + status + reason + ".";
        };
    }
}
