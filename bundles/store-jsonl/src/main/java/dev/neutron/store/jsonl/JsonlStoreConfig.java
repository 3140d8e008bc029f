package dev.neutron.store.jsonl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron JSONL chat store", description = "Keeps chats as JSON files on local disk.")
public @interface JsonlStoreConfig {
    @AttributeDefinition(description = "Data directory. Empty: the system property neutron.data.dir, else ./.neutron_data")
    String dataDir() default "";
}
