package dev.neutron.store.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Files written by the stores before this bundle existed (copied from the output of JsonlChatStore, whose lines were
 * also what the PostgreSQL store put in its record column): what is on disk and in databases today.
 */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + name + " next to " + Fixtures.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
