package dev.neutron.http;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.osgi.service.component.annotations.Component;

/**
 * Installs {@link JsonErrorHandler} as Jetty's server-wide error handler. Felix HTTP has no property for that, and
 * its {@link ConnectorFactory} hook is the only one that hands over Jetty's {@link Server}: so this factory installs
 * the handler and returns a connector that never listens and leaves the server as soon as it is started. When this
 * bundle stops, Jetty's own handler is put back.
 */
@Component(service = ConnectorFactory.class)
public class JettyErrorPages implements ConnectorFactory {
    @Override
    public Connector createConnector(Server server) {
        server.setErrorHandler(new JsonErrorHandler());
        return new Installer(server);
    }

    /** The placeholder connector: no socket, no threads; its lifecycle only tracks the handler's. */
    private static final class Installer extends ServerConnector {
        Installer(Server server) {
            super(server, 0, 1);
            setName("neutron-json-errors");
        }

        @Override
        protected void doStart() {
            getServer().removeConnector(this);
        }

        @Override
        protected void doStop() {
            if (getServer().getErrorHandler() instanceof JsonErrorHandler) {
                getServer().setErrorHandler(new ErrorHandler());
            }
        }
    }
}
