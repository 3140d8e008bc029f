/**
 * Neutron's public contracts: the chat store, model providers, the chat engine and the records they exchange.
 */
@Export
@Version("2.4.0")
package dev.neutron.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
