package dev.neutron.search.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.search.SearchRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query string of {@code GET /api/v1/chat/search} as a {@link SearchRequest}. {@code from}/{@code to} take an
 * instant ({@code 2025-03-01T12:00:00Z}) or a UTC day ({@code 2025-03-01}: from its start, to its end).
 */
final class SearchParameters {
    static final Set<String> NAMES = new TreeSet<>(Set.of("q", "limit", "cursor", "model", "role", "from", "to",
            "sessionId"));

    private SearchParameters() {
    }

    static SearchRequest parse(Map<String, String[]> parameters) {
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (!NAMES.contains(parameter.getKey())) {
                throw invalid("Unknown parameter '" + parameter.getKey() + "'. Allowed: " + String.join(", ", NAMES) + ".");
            }
            if (parameter.getValue().length > 1) {
                throw invalid("Parameter '" + parameter.getKey() + "' is given " + parameter.getValue().length
                        + " times; give it once.");
            }
        }
        String limit = value(parameters, "limit");
        return new SearchRequest(value(parameters, "q"), limit == null ? SearchRequest.DEFAULT_LIMIT : limit(limit),
                value(parameters, "cursor"), value(parameters, "model"), value(parameters, "role"),
                instant(parameters, "from", false), instant(parameters, "to", true), value(parameters, "sessionId"));
    }

    private static String value(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return values == null || values[0].isEmpty() ? null : values[0];
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= SearchRequest.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid("limit must be a number from 1 to " + SearchRequest.MAX_LIMIT + ", not '" + text + "'.");
    }

    private static Instant instant(Map<String, String[]> parameters, String name, boolean endOfDay) {
        String text = value(parameters, name);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be a UTC instant such as 2025-03-01T12:00:00Z or a day such as 2025-03-01, "
                    + "not '" + text + "'.");
        }
    }

    private static NeutronException invalid(String message) {
        return new NeutronException(ErrorCode.INVALID_REQUEST, message);
    }
}
