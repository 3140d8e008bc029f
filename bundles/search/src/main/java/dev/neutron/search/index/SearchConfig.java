package dev.neutron.search.index;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron search", description = "The full-text index of every chat.")
public @interface SearchConfig {
    String PID = "dev.neutron.search";

    @AttributeDefinition(description = "Data directory; the index lives in its search-index folder. Empty: the system "
            + "property neutron.data.dir, else ./.neutron_data.")
    String dataDir() default "";

    @AttributeDefinition(description = "Milliseconds between two looks at the chat store for changes.")
    int reconcileIntervalMillis() default 300;

    @AttributeDefinition(description = "Characters of an attachment's extracted text that are indexed.")
    int maxAttachmentChars() default 200_000;
}
