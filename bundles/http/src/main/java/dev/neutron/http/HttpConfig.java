package dev.neutron.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron HTTP API", description = "Request limits and browser security for /api/v1.")
public @interface HttpConfig {
    String PID = "dev.neutron.http";

    @AttributeDefinition(description = "Host header values accepted (port ignored). Loopback names only by default, against DNS rebinding.")
    String[] allowedHosts() default {"localhost", "127.0.0.1", "[::1]", "::1"};

    @AttributeDefinition(description = "Other origins allowed by CORS, e.g. a front end served by a dev server "
            + "(http://localhost:5173). Neutron's own origin needs no entry. An entry ending in ':*' allows any port. "
            + "Empty by default: no other page can read the API.")
    String[] allowedOrigins() default {};

    @AttributeDefinition(description = "Largest JSON request body in bytes.")
    int maxJsonBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "Seconds between SSE heartbeat comments on an idle stream.")
    int heartbeatSeconds() default 15;
}
