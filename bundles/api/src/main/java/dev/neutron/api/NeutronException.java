package dev.neutron.api;

/** A failure a caller can act on: a stable {@link ErrorCode} and a message that says what happened and what to do. */
public class NeutronException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public NeutronException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public NeutronException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
