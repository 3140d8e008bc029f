/**
 * Full-text search over every chat: {@link dev.neutron.search.ChatSearch} and the records it answers with.
 */
@Export
@Version("1.0.0")
package dev.neutron.search;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
