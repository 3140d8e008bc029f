package dev.neutron.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** {@code <data>/settings.json}: a JSON object with the fields of {@link Settings}, replaced atomically. */
final class SettingsFile {
    static final String NAME = "settings.json";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(Settings.class, LaterFields.class);

    /** Fields added in 2.2 are written only when set: a file without them reads as before, in any version. */
    private abstract static class LaterFields {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract Map<String, Object> defaultOptions();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String defaultThink();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String titles();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String titleModel();
    }

    private final Path file;

    SettingsFile(Path dataDirectory) {
        this.file = dataDirectory.resolve(NAME);
    }

    Path path() {
        return file;
    }

    Settings load() {
        if (!Files.exists(file)) {
            return Settings.EMPTY;
        }
        try {
            Settings stored = MAPPER.readValue(file.toFile(), Settings.class);
            return stored == null ? Settings.EMPTY : stored.normalised();
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, NAME + " could not be read (" + e.getMessage()
                    + "). Fix or delete " + file + ".", e);
        }
    }

    void save(Settings settings) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(NAME + ".tmp");
            Files.write(temp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, NAME + " could not be written (" + e.getMessage()
                    + "). Check that " + file.getParent() + " is writable and has free space.", e);
        }
    }
}
