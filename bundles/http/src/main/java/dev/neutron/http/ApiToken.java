package dev.neutron.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The shared secret from {@code NEUTRON_API_TOKEN}. When it is set, every API request must carry
 * {@code Authorization: Bearer <token>}. Compared in constant time (over SHA-256 digests, so neither the content nor
 * the length leaks through timing); never logged or printed.
 */
final class ApiToken {
    static final String ENVIRONMENT_VARIABLE = "NEUTRON_API_TOKEN";
    private static final String BEARER = "bearer ";

    private final byte[] digest;

    private ApiToken(byte[] digest) {
        this.digest = digest;
    }

    static ApiToken fromEnvironment() {
        return of(System.getenv(ENVIRONMENT_VARIABLE));
    }

    /** A blank value means no token: the API is open (which Neutron allows on loopback only). */
    static ApiToken of(String token) {
        return new ApiToken(token == null || token.isBlank() ? null : sha256(token.strip()));
    }

    boolean isSet() {
        return digest != null;
    }

    /** Whether an {@code Authorization} header value carries this token; false when no token is set. */
    boolean acceptsAuthorization(String authorization) {
        if (digest == null || authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return isSet() ? "ApiToken[set]" : "ApiToken[none]";
    }
}
