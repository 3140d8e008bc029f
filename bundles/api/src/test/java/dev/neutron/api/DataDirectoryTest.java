package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {
    private String previous;

    @BeforeEach
    void remember() {
        previous = System.getProperty(DataDirectory.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(DataDirectory.PROPERTY);
        } else {
            System.setProperty(DataDirectory.PROPERTY, previous);
        }
    }

    @Test
    void aConfiguredDirectoryWinsOverTheSystemProperty() {
        System.setProperty(DataDirectory.PROPERTY, "/from/property");
        assertEquals(Path.of("/configured").toAbsolutePath(), DataDirectory.resolve("/configured/x/.."));
    }

    @Test
    void withoutConfigurationTheSystemPropertyIsUsed() {
        System.setProperty(DataDirectory.PROPERTY, "/from/property");
        assertEquals(Path.of("/from/property").toAbsolutePath(), DataDirectory.resolve(" "));
        assertEquals(Path.of("/from/property").toAbsolutePath(), DataDirectory.resolve(null));
    }

    @Test
    void withNeitherItIsDotNeutronDataUnderTheWorkingDirectory() {
        System.setProperty(DataDirectory.PROPERTY, "");
        assertEquals(Path.of("").toAbsolutePath().resolve(".neutron_data"), DataDirectory.resolve(""));
        System.clearProperty(DataDirectory.PROPERTY);
        assertEquals(Path.of("").toAbsolutePath().resolve(".neutron_data"), DataDirectory.resolve(""));
    }
}
