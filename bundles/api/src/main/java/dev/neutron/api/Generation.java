package dev.neutron.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/** A generation in progress at a provider (implemented by every provider, hence a consumer type). */
@ConsumerType
public interface Generation {

    /** Completes when the answer ends; completes exceptionally with a {@link NeutronException} on failure. */
    CompletableFuture<ChatResult> result();

    /** Aborts the upstream request; {@link #result()} then completes with finish reason {@code cancelled}. */
    void cancel();
}
