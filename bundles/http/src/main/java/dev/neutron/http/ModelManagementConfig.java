package dev.neutron.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron model management API", description = "The /api/v1/models endpoints.")
@interface ModelManagementConfig {
    String PID = "dev.neutron.http.models";

    @AttributeDefinition(description = "Largest GGUF model file accepted by POST /api/v1/models/blobs, in bytes "
            + "(separate from the chat attachment limit). Default 64 GiB.")
    long maxModelFileBytes() default 64L << 30;

    @AttributeDefinition(description = "Data directory; uploads are staged in its model-uploads/ folder while they are "
            + "hashed. Empty: the neutron.data.dir system property, else ./.neutron_data.")
    String dataDir() default "";

    @AttributeDefinition(description = "Seconds between SSE heartbeat comments on job event streams.")
    int heartbeatSeconds() default 15;
}
