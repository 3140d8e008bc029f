package dev.neutron.settings;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron settings", description = "Where the user's settings (settings.json) are kept.")
public @interface SettingsConfig {
    String PID = "dev.neutron.settings";

    @AttributeDefinition(description = "Data directory. Empty: the system property neutron.data.dir, else ./.neutron_data")
    String dataDir() default "";
}
