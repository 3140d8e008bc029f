package dev.neutron.api;

import java.nio.file.Path;

/**
 * Where Neutron keeps its data: a component's configured {@code dataDir}, else the system property
 * {@value #PROPERTY}, else {@code ./.neutron_data}; always absolute and normalised. The one home of this rule.
 */
public final class DataDirectory {
    public static final String PROPERTY = "neutron.data.dir";
    static final String DEFAULT = ".neutron_data";

    private DataDirectory() {
    }

    /** The data directory for a component whose configured {@code dataDir} is {@code configured} (blank: none). */
    public static Path resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return absolute(configured);
        }
        String fromSystem = System.getProperty(PROPERTY);
        if (fromSystem != null && !fromSystem.isBlank()) {
            return absolute(fromSystem);
        }
        return absolute(DEFAULT);
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }
}
