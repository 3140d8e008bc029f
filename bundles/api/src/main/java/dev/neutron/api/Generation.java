package dev.neutron.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** A generation in progress at a provider. */
@ProviderType
public interface Generation {

    /** Completes when the answer ends; completes exceptionally with a {@link NeutronException} on failure. */
    CompletableFuture<ChatResult> result();

    /** Aborts the upstream request; {@link #result()} then completes with finish reason {@code cancelled}. */
    void cancel();
}
