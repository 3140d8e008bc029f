package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import dev.neutron.api.SettingsService;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET/PUT /api/v1/settings}: the {@link SettingsService} over HTTP, with the settings a {@code .cfg} fixes. */
@Component(service = Servlet.class, configurationPid = HttpConfig.PID)
@HttpWhiteboardServletPattern("/api/v1/settings")
@HttpWhiteboardServletName("neutron-settings")
public class SettingsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    /**
     * The response: the stored settings, and which of them a configuration file in {@code deploy/} fixes.
     * {@code defaultThink} as on the wire ({@link #thinkToWire}).
     */
    record SettingsView(String ollamaUrl, String defaultModel, String systemPrompt, Map<String, Object> defaultOptions,
            Object defaultThink, String titles, String titleModel, Map<String, String> fixedBy) {
        static SettingsView of(Settings settings, Map<String, String> fixedBy) {
            return new SettingsView(settings.ollamaUrl(), settings.defaultModel(), settings.systemPrompt(),
                    settings.defaultOptions(), thinkToWire(settings.defaultThink()), settings.titles(),
                    settings.titleModel(), fixedBy);
        }
    }

    /** The body of a PUT: every setting (one left out is reset to its default); {@code defaultThink} as on the wire. */
    record SettingsRequest(String ollamaUrl, String defaultModel, String systemPrompt, Map<String, Object> defaultOptions,
            Object defaultThink, String titles, String titleModel) {
        Settings settings() {
            return new Settings(ollamaUrl, defaultModel, systemPrompt, defaultOptions, thinkFromWire(defaultThink),
                    titles, titleModel);
        }
    }

    /** As a chat's think ({@link ChatSettingsFields#thinkToWire}); the settings' empty string is none. */
    static Object thinkToWire(String think) {
        return ChatSettingsFields.thinkToWire(think == null || think.isEmpty() ? null : think);
    }

    static String thinkFromWire(Object think) {
        if (think == null) {
            return "";
        }
        if (think instanceof Boolean on) {
            return on.toString();
        }
        if (think instanceof String level) {
            return level;
        }
        throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'defaultThink' is true, false, \"low\", "
                + "\"medium\", \"high\", or null for the model's default; not " + think + ".");
    }

    private final HttpConfig config;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile SettingsService settings;

    @Activate
    public SettingsServlet(HttpConfig config) {
        this.config = config;
    }

    @Override
    protected int maxJsonBodyBytes() {
        return config.maxJsonBodyBytes();
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET" -> {
                SettingsService service = required(settings, "settings service", "settings");
                writeJson(response, 200, SettingsView.of(service.current(), service.fixedBy()));
            }
            case "PUT" -> {
                Settings requested = readJson(request, SettingsRequest.class).settings();
                SettingsService service = required(settings, "settings service", "settings");
                writeJson(response, 200, SettingsView.of(service.update(requested), service.fixedBy()));
            }
            default -> throw methodNotAllowed(request, response, "GET, PUT");
        }
    }
}
