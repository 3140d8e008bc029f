package dev.neutron.search;

import java.time.Instant;

/**
 * A search. Only {@code query} is required; a null filter does not filter.
 *
 * @param query     words (all must occur, stemmed for English), {@code "a phrase"}, {@code prefix*}, {@code -excluded}
 * @param limit     hits per page
 * @param cursor    the {@code nextCursor} of the previous page, or null for the first page
 * @param role      {@code user} or {@code assistant}: only messages (and attachments) of that role
 * @param from      only what was written at or after this instant
 * @param to        only what was written before this instant
 */
public record SearchRequest(String query, int limit, String cursor, String model, String role, Instant from,
        Instant to, String sessionId) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static SearchRequest of(String query) {
        return new SearchRequest(query, DEFAULT_LIMIT, null, null, null, null, null, null);
    }
}
