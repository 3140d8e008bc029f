/**
 * How chats are kept as text, the same in every store: a {@link dev.neutron.api.ChatMessage} as one line of JSON
 * ({@link MessageCodec}), the session list of {@code sessions.json} ({@link SessionListCodec}) and one change to it
 * ({@link SessionChangeCodec}), a chat's settings as one JSON text ({@link SettingsCodec}), the title rule
 * ({@link SessionTitles}), the order of the session list ({@link SessionOrder}), the tree rule ({@link ConversationTree}) and what deleting a branch does
 * ({@link BranchDeletion}).
 */
@Export
@Version("1.6.0")
package dev.neutron.store.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
