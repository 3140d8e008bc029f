package dev.neutron.settings;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;

/** Hides the user name and password of a URL ({@code http://***@host:port}) and takes them back from the stored one. */
final class UrlCredentials {
    static final String MASK = "***";

    private UrlCredentials() {
    }

    /** The URL as typed, with its userinfo (if any) replaced by {@value #MASK}. */
    static String redact(String url) {
        int userInfoStart = authorityStart(url);
        int at = userInfoEnd(url, userInfoStart);
        return at < 0 ? url : url.substring(0, userInfoStart) + MASK + url.substring(at);
    }

    /**
     * The URL to store for {@code incoming}: the stored URL when {@code incoming} is its redacted form; else
     * {@code incoming}, which must then not carry the mask as its userinfo.
     */
    static String restore(String incoming, String stored) {
        if (!incoming.equals(redact(incoming)) || !masked(incoming)) {
            return incoming;
        }
        if (!stored.equals(redact(stored)) && incoming.equals(redact(stored))) {
            return stored;
        }
        throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'ollamaUrl' has " + MASK
                + " for its user name and password, but the stored URL differs. Type the user name and password again.");
    }

    private static boolean masked(String url) {
        int userInfoStart = authorityStart(url);
        int at = userInfoEnd(url, userInfoStart);
        return at >= 0 && url.substring(userInfoStart, at).equals(MASK);
    }

    private static int authorityStart(String url) {
        int scheme = url.indexOf("://");
        return scheme < 0 ? -1 : scheme + 3;
    }

    /** The index of the {@code @} that ends the userinfo, or -1 when the URL has none. */
    private static int userInfoEnd(String url, int authorityStart) {
        if (authorityStart < 0) {
            return -1;
        }
        int end = url.length();
        for (char delimiter : new char[] {'/', '?', '#'}) {
            int index = url.indexOf(delimiter, authorityStart);
            if (index >= 0 && index < end) {
                end = index;
            }
        }
        return url.lastIndexOf('@', end - 1) >= authorityStart ? url.lastIndexOf('@', end - 1) : -1;
    }
}
