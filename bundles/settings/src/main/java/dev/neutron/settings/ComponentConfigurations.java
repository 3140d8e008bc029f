package dev.neutron.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Where each setting goes in Configuration Admin, and the precedence rule: a component configured by a {@code .cfg}
 * file in {@code deploy/} (Felix FileInstall marks its configuration with {@value #FILEINSTALL_FILENAME}) is owned by
 * that file. Settings never write into such a configuration (FileInstall would write them back into the file); they
 * are reported as fixed by it instead.
 */
final class ComponentConfigurations {
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    static final String OLLAMA_PID = "dev.neutron.provider.ollama";
    static final String CHAT_PID = "dev.neutron.chat";

    record Target(String setting, String pid, String key, Function<Settings, String> value) {
    }

    static final List<Target> TARGETS = List.of(
            new Target(Settings.OLLAMA_URL, OLLAMA_PID, "baseUrl", Settings::ollamaUrl),
            new Target(Settings.DEFAULT_MODEL, CHAT_PID, "defaultModel", Settings::defaultModel),
            new Target(Settings.SYSTEM_PROMPT, CHAT_PID, "systemPrompt", Settings::systemPrompt),
            new Target(Settings.DEFAULT_OPTIONS, CHAT_PID, "defaultOptions", ComponentConfigurations::optionsJson),
            new Target(Settings.DEFAULT_THINK, CHAT_PID, "defaultThink", Settings::defaultThink),
            new Target(Settings.TITLES, CHAT_PID, "titles", Settings::titles),
            new Target(Settings.TITLE_MODEL, CHAT_PID, "titleModel", Settings::titleModel));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigurationAdmin admin;

    /**
     * Configuration Admin holds no maps: the default options go to the chat component as one JSON object, e.g.
     * {@code {"seed":42,"temperature":0.2}} (sorted by name); empty when there are none.
     */
    static String optionsJson(Settings settings) {
        if (settings.defaultOptions() == null || settings.defaultOptions().isEmpty()) {
            return "";
        }
        try {
            return JSON.writeValueAsString(settings.defaultOptions());
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot write the default options as JSON", e);
        }
    }

    ComponentConfigurations(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    static boolean isTargetPid(String pid) {
        return TARGETS.stream().anyMatch(target -> target.pid().equals(pid));
    }

    /** Setting name to the name of the {@code .cfg} file that configures its component. */
    Map<String, String> fixedBy() {
        Map<String, String> fixed = new LinkedHashMap<>();
        for (Target target : TARGETS) {
            configurationFile(target.pid()).ifPresent(file -> fixed.put(target.setting(), file));
        }
        return fixed;
    }

    /** Applies every setting whose component is not configured by a file. */
    void apply(Settings settings) {
        for (Target target : TARGETS) {
            apply(settings, target);
        }
    }

    /** Applies the settings of one component (after its {@code .cfg} was removed). */
    void apply(Settings settings, String pid) {
        for (Target target : TARGETS) {
            if (target.pid().equals(pid)) {
                apply(settings, target);
            }
        }
    }

    private void apply(Settings settings, Target target) {
        if (configurationFile(target.pid()).isPresent()) {
            return;
        }
        String value = target.value().apply(settings);
        try {
            Configuration configuration = admin.getConfiguration(target.pid(), "?");
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            if (value.equals(properties.get(target.key())) || (value.isEmpty() && properties.get(target.key()) == null)) {
                return;
            }
            if (value.isEmpty()) {
                properties.remove(target.key());
            } else {
                properties.put(target.key(), value);
            }
            configuration.update(properties);
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "Could not apply setting " + target.setting() + " ("
                    + e.getMessage() + "); it is stored and will be applied at the next start.", e);
        }
    }

    /** The file name of the {@code .cfg} that configures {@code pid}, if FileInstall created its configuration. */
    private Optional<String> configurationFile(String pid) {
        try {
            Configuration[] found = admin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + pid + ")");
            if (found == null) {
                return Optional.empty();
            }
            for (Configuration configuration : found) {
                Dictionary<String, Object> properties = configuration.getProperties();
                Object file = properties == null ? null : properties.get(FILEINSTALL_FILENAME);
                if (file != null) {
                    String path = file.toString();
                    return Optional.of(path.substring(path.lastIndexOf('/') + 1));
                }
            }
            return Optional.empty();
        } catch (IOException | InvalidSyntaxException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "Configuration Admin could not list the configuration of "
                    + pid + ": " + e.getMessage(), e);
        }
    }
}
