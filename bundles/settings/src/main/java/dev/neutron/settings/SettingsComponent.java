package dev.neutron.settings;

import dev.neutron.api.DataDirectory;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import dev.neutron.api.SettingsService;
import java.util.Map;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The user's settings in {@code <data>/settings.json}, applied through Configuration Admin at start and on every
 * change, except to a component configured by a {@code .cfg} file in {@code deploy/}, which wins. When such a file
 * is removed, the stored settings apply to its component again.
 */
@Component(service = {SettingsService.class, ConfigurationListener.class}, configurationPid = SettingsConfig.PID)
@Designate(ocd = SettingsConfig.class)
public class SettingsComponent implements SettingsService, ConfigurationListener {
    private static final System.Logger LOG = System.getLogger(SettingsComponent.class.getName());

    private final SettingsFile file;
    private final ComponentConfigurations configurations;

    @Activate
    public SettingsComponent(SettingsConfig config, @Reference ConfigurationAdmin admin) {
        this.file = new SettingsFile(DataDirectory.resolve(config.dataDir()));
        this.configurations = new ComponentConfigurations(admin);
        Settings stored = file.load();
        if (!stored.equals(Settings.EMPTY)) {
            configurations.apply(stored);
        }
    }

    @Override
    public Settings current() {
        return redacted(file.load());
    }

    @Override
    public synchronized Settings update(Settings requested) {
        Settings normalised = requested.normalised();
        Settings settings = new Settings(UrlCredentials.restore(normalised.ollamaUrl(), file.load().ollamaUrl()),
                normalised.defaultModel(), normalised.systemPrompt(), SettingsRules.validOptions(normalised.defaultOptions()),
                normalised.defaultThink(), normalised.titles(), normalised.titleModel());
        SettingsRules.validate(settings);
        file.save(settings);
        configurations.apply(settings);
        return redacted(settings);
    }

    @Override
    public Map<String, String> fixedBy() {
        return configurations.fixedBy();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() == ConfigurationEvent.CM_DELETED && event.getFactoryPid() == null
                && ComponentConfigurations.isTargetPid(event.getPid())) {
            try {
                configurations.apply(file.load(), event.getPid());
            } catch (NeutronException e) {
                LOG.log(System.Logger.Level.WARNING, "Settings for " + event.getPid() + " not applied: " + e.getMessage());
            }
        }
    }

    private static Settings redacted(Settings settings) {
        return new Settings(UrlCredentials.redact(settings.ollamaUrl()), settings.defaultModel(), settings.systemPrompt(),
                settings.defaultOptions(), settings.defaultThink(), settings.titles(), settings.titleModel());
    }
}
