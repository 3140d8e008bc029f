package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET/PUT /api/v1/settings}: the user's Ollama URL, default model and system prompt. Kept in
 * {@code <data>/settings.json} and applied through Configuration Admin to the provider and the chat engine, so a
 * change takes effect at once, without a restart.
 */
@Component(service = Servlet.class, configurationPid = HttpConfig.PID)
@HttpWhiteboardServletPattern("/api/v1/settings")
@HttpWhiteboardServletName("neutron-settings")
public class SettingsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final String OLLAMA_PID = "dev.neutron.provider.ollama";
    static final String CHAT_PID = "dev.neutron.chat";
    private static final int MAX_SYSTEM_PROMPT_CHARS = 20_000;

    record Settings(String ollamaUrl, String defaultModel, String systemPrompt) {
        static final Settings EMPTY = new Settings("", "", "");

        Settings normalised() {
            return new Settings(ollamaUrl == null ? "" : ollamaUrl.strip(), defaultModel == null ? "" : defaultModel.strip(),
                    systemPrompt == null ? "" : systemPrompt);
        }
    }

    private final HttpConfig config;
    private final transient ConfigurationAdmin configurationAdmin;
    private final transient Path settingsFile;

    @Activate
    public SettingsServlet(HttpConfig config, @Reference ConfigurationAdmin configurationAdmin) {
        this.config = config;
        this.configurationAdmin = configurationAdmin;
        String dataDir = System.getProperty("neutron.data.dir", ".neutron_data");
        this.settingsFile = Path.of(dataDir).toAbsolutePath().normalize().resolve("settings.json");
        Settings stored = load();
        if (!stored.equals(Settings.EMPTY)) {
            apply(stored);
        }
    }

    @Override
    protected int maxJsonBodyBytes() {
        return config.maxJsonBodyBytes();
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET" -> writeJson(response, 200, load());
            case "PUT" -> {
                Settings settings = readJson(request, Settings.class).normalised();
                validate(settings);
                save(settings);
                apply(settings);
                writeJson(response, 200, settings);
            }
            default -> throw methodNotAllowed(request, response, "GET, PUT");
        }
    }

    private static void validate(Settings settings) {
        if (!settings.ollamaUrl().isEmpty()) {
            try {
                URI uri = URI.create(settings.ollamaUrl());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new NeutronException(ErrorCode.INVALID_REQUEST,
                        "Field 'ollamaUrl' must be an http(s) URL such as http://127.0.0.1:11434, or empty for the default.");
            }
        }
        if (settings.systemPrompt().length() > MAX_SYSTEM_PROMPT_CHARS) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST,
                    "Field 'systemPrompt' is longer than " + MAX_SYSTEM_PROMPT_CHARS + " characters.");
        }
    }

    private Settings load() {
        if (!Files.exists(settingsFile)) {
            return Settings.EMPTY;
        }
        try {
            return Json.MAPPER.readValue(settingsFile.toFile(), Settings.class).normalised();
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "settings.json could not be read: " + e.getMessage(), e);
        }
    }

    private void save(Settings settings) {
        try {
            Files.createDirectories(settingsFile.getParent());
            Path temp = settingsFile.resolveSibling("settings.json.tmp");
            Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings));
            try {
                Files.move(temp, settingsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, settingsFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "settings.json could not be written: " + e.getMessage(), e);
        }
    }

    private void apply(Settings settings) {
        update(OLLAMA_PID, "baseUrl", settings.ollamaUrl());
        update(CHAT_PID, "defaultModel", settings.defaultModel());
        update(CHAT_PID, "systemPrompt", settings.systemPrompt());
    }

    private void update(String pid, String key, String value) {
        try {
            Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            if (value.equals(properties.get(key)) || (value.isEmpty() && properties.get(key) == null)) {
                return;
            }
            if (value.isEmpty()) {
                properties.remove(key);
            } else {
                properties.put(key, value);
            }
            configuration.update(properties);
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "Could not apply setting " + key + ": " + e.getMessage(), e);
        }
    }
}
