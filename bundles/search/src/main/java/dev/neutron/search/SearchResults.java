package dev.neutron.search;

import java.util.List;

/**
 * One page of hits.
 *
 * @param nextCursor      the cursor of the next page; null on the last page
 * @param catchingUp      true while the index is still catching up with the store (at start, after a rebuild or a
 *                        store swap): hits may then miss recent changes
 * @param indexedSessions how many chats the index holds
 */
public record SearchResults(List<SearchHit> hits, String nextCursor, boolean catchingUp, int indexedSessions) {
}
