package dev.neutron.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** JDBC URLs as they may be shown: without a password, whatever form it was given in. */
final class JdbcUrls {
    private JdbcUrls() {
    }

    /** The URL without {@code password=…} parameters and without a password in a {@code user:password@} part. */
    static String redact(String url) {
        if (url == null) {
            return "(no url)";
        }
        String result = url.replaceAll("//([^/@?;&]*):[^/@?;&]*@", "//$1@");
        int query = result.indexOf('?');
        if (query < 0) {
            return result;
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : result.substring(query + 1).split("[&;]")) {
            String name = parameter.split("=", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!parameter.isEmpty() && !name.equals("password") && !name.equals("sslpassword")) {
                kept.add(parameter);
            }
        }
        return result.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    /**
     * Whether the URL has a {@code user:password@} part before its host. The PostgreSQL driver does not take one: it
     * reads it as part of the host name and quotes it, password and all, in its connection errors.
     */
    static boolean hasUserInfo(String url) {
        int authority = url.indexOf("//");
        if (authority < 0) {
            return false;
        }
        int end = authority + 2;
        while (end < url.length() && "/?;&".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(authority + 2, end).contains("@");
    }

    /** The database name of a {@code jdbc:postgresql://host:port/name?…} URL, or {@code null}. */
    static String databaseName(String url) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return null;
        }
        String rest = url.substring("jdbc:postgresql:".length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            if (slash < 0) {
                return null;
            }
            rest = rest.substring(slash + 1);
        }
        int end = rest.length();
        for (char c : new char[] {'?', ';', '&'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String name = rest.substring(0, end);
        return name.isEmpty() ? null : name;
    }
}
