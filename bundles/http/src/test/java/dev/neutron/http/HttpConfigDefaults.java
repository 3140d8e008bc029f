package dev.neutron.http;

import java.lang.reflect.Proxy;

/** {@link HttpConfig} with every attribute at its declared default, as DS builds it when no configuration exists. */
final class HttpConfigDefaults {
    private HttpConfigDefaults() {
    }

    static HttpConfig config() {
        return (HttpConfig) Proxy.newProxyInstance(HttpConfig.class.getClassLoader(), new Class<?>[] {HttpConfig.class},
                (proxy, method, args) -> method.getDefaultValue());
    }

    static String[] allowedOrigins() {
        return config().allowedOrigins();
    }
}
