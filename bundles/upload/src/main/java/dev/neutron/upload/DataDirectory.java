package dev.neutron.upload;

import java.nio.file.Path;

/** The same rule as the JSONL store: configured path, else the system property, else {@code ./.neutron_data}. */
final class DataDirectory {
    static final String PROPERTY = "neutron.data.dir";

    private DataDirectory() {
    }

    static Path resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String fromSystem = System.getProperty(PROPERTY);
        if (fromSystem != null && !fromSystem.isBlank()) {
            return Path.of(fromSystem).toAbsolutePath().normalize();
        }
        return Path.of(".neutron_data").toAbsolutePath().normalize();
    }
}
