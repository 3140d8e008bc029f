/**
 * How chats are kept as text, the same in every store: a {@link dev.neutron.api.ChatMessage} as one line of JSON
 * ({@link MessageCodec}), the session list of {@code sessions.json} ({@link SessionListCodec}), the title rule
 * ({@link SessionTitles}), and the tree rule ({@link ConversationTree}).
 */
@Export
@Version("1.1.0")
package dev.neutron.store.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
