package dev.neutron.store.jsonl;

import java.nio.file.Path;

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
