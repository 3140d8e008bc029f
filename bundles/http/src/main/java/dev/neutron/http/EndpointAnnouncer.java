package dev.neutron.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

/**
 * Prints where Neutron listens once Jetty knows its port (NEUTRON_PORT=0 picks a free one). When it listens beyond
 * loopback without an API token it says on stderr that other machines are refused (see {@link BrowserSecurityFilter}).
 */
@Component(immediate = true)
public class EndpointAnnouncer {
    private final ApiToken token = ApiToken.fromEnvironment();
    private volatile String announced;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "runtimeUpdated")
    void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announce(properties);
    }

    void runtimeUpdated(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announce(properties);
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        // nothing to undo
    }

    private void announce(Map<String, Object> properties) {
        List<String> endpoints = endpoints(properties.get("osgi.http.endpoint"));
        Optional<String> url = PrintedUrl.choose(endpoints, token.isSet());
        if (url.isEmpty() || url.get().equals(announced)) {
            return;
        }
        announced = url.get();
        if (!token.isSet() && PrintedUrl.exposed(endpoints)) {
            System.err.println("neutron: listening beyond loopback (" + String.join(", ", endpoints) + ") without "
                    + ApiToken.ENVIRONMENT_VARIABLE + ": requests from other machines are refused. Set "
                    + ApiToken.ENVIRONMENT_VARIABLE + " and restart to serve them.");
            System.err.flush();
        }
        System.out.println("Neutron listening on " + url.get());
        System.out.flush();
    }

    private static List<String> endpoints(Object property) {
        List<String> endpoints = new ArrayList<>();
        if (property instanceof String[] array) {
            endpoints.addAll(List.of(array));
        } else if (property instanceof Iterable<?> list) {
            list.forEach(e -> endpoints.add(String.valueOf(e)));
        } else if (property != null) {
            endpoints.add(String.valueOf(property));
        }
        return endpoints;
    }
}
