package dev.neutron.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives an answer's text as the model produces it, one delta at a time, on the provider's thread. */
@ConsumerType
@FunctionalInterface
public interface TokenListener {
    /** A delta of the answer itself; never thinking text. */
    void onToken(String delta);

    /**
     * A delta of the model's thinking (reasoning) text, which comes apart from and usually before the answer. The
     * default ignores it.
     * @since 2.2
     */
    default void onThinking(String delta) {
    }
}
