package dev.neutron.http;

import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

/** Prints where Neutron listens once Jetty knows its port (NEUTRON_PORT=0 picks a free one). */
@Component(immediate = true)
public class EndpointAnnouncer {
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
        Object endpoint = properties.get("osgi.http.endpoint");
        String first = endpoint instanceof String[] array && array.length > 0 ? array[0]
                : endpoint instanceof Iterable<?> list && list.iterator().hasNext() ? String.valueOf(list.iterator().next())
                : endpoint == null ? null : String.valueOf(endpoint);
        if (first == null || first.equals(announced)) {
            return;
        }
        announced = first;
        String url = first.endsWith("/") ? first : first + "/";
        System.out.println("Neutron listening on " + url);
        System.out.flush();
    }
}
