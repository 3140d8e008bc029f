package dev.neutron.search;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds words in every chat: titles, messages of every branch (both roles) and the text extracted from attachments.
 * It answers from its index, which follows the chat store in the background.
 */
@ProviderType
public interface ChatSearch {

    /**
     * Ranked hits, best first.
     *
     * @throws dev.neutron.api.NeutronException {@code invalid_request} for a malformed query, filter or cursor
     */
    SearchResults search(SearchRequest request);
}
