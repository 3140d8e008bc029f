package dev.neutron.api;

/** Stable error codes. The string is part of the public API (documented in CHAT_API.md); the status is the HTTP status it maps to. */
public enum ErrorCode {
    INVALID_JSON("invalid_json", 400),
    INVALID_REQUEST("invalid_request", 400),
    INVALID_SESSION_ID("invalid_session_id", 400),
    UNAUTHORIZED("unauthorized", 401),
    REQUEST_TIMEOUT("request_timeout", 408),
    SESSION_NOT_FOUND("session_not_found", 404),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    GENERATION_IN_PROGRESS("generation_in_progress", 409),
    NO_ACTIVE_GENERATION("no_active_generation", 404),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    TOO_MANY_GENERATIONS("too_many_generations", 429),
    FORBIDDEN_HOST("forbidden_host", 403),
    FORBIDDEN_ORIGIN("forbidden_origin", 403),
    NO_MODEL("no_model", 400),
    MODEL_NOT_FOUND("model_not_found", 404),
    /** A model backend does not answer at its address; the message names the provider, the address and how to start it. */
    PROVIDER_UNREACHABLE("provider_unreachable", 503),
    PROVIDER_ERROR("provider_error", 502),
    PROVIDER_TIMEOUT("provider_timeout", 504),
    PROVIDER_REMOVED("provider_removed", 503),
    CONTEXT_OVERFLOW("context_overflow", 400),
    UPLOAD_TOO_LARGE("upload_too_large", 413),
    UNSUPPORTED_FILE_TYPE("unsupported_file_type", 415),
    ATTACHMENT_NOT_FOUND("attachment_not_found", 404),
    /** No message with the given id in the chat. */
    MESSAGE_NOT_FOUND("message_not_found", 404),
    /** No model job (pull, create) with the given id, or it finished too long ago. @since 2.3 */
    JOB_NOT_FOUND("job_not_found", 404),
    /**
     * A pull could not reach the model registry, or the registry stopped sending (the message names it and how long
     * it was silent). Layers downloaded so far are kept; pulling again resumes. @since 2.4
     */
    REGISTRY_UNREACHABLE("registry_unreachable", 502),
    /** A model job was cancelled. @since 2.3 */
    CANCELLED("cancelled", 409),
    STORAGE_ERROR("storage_error", 500),
    /** The disk is full (or over quota): nothing was changed; free space and retry. */
    INSUFFICIENT_STORAGE("insufficient_storage", 507),
    SERVICE_UNAVAILABLE("service_unavailable", 503),
    INTERNAL_ERROR("internal_error", 500);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
