package dev.neutron.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives an answer's text as the model produces it, one delta at a time, on the provider's thread. */
@ConsumerType
@FunctionalInterface
public interface TokenListener {
    void onToken(String delta);
}
