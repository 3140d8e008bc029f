package dev.neutron.provider.openai;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link OpenAiConfig}s as DS would hand them to the component: the given values, else the defaults declared on the
 * annotation, so tests go through the same activation path as a {@code .cfg} file.
 */
final class TestConfigs {
    private TestConfigs() {
    }

    static OpenAiConfig config(Map<String, Object> values) {
        return (OpenAiConfig) Proxy.newProxyInstance(OpenAiConfig.class.getClassLoader(), new Class<?>[] {OpenAiConfig.class},
                (proxy, method, args) -> {
                    if ("annotationType".equals(method.getName())) {
                        return OpenAiConfig.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** A provider for {@code baseUrl} named {@code test}, with {@code more} settings on top. */
    static OpenAiModelProvider provider(URI baseUrl, Object... more) {
        Map<String, Object> values = new HashMap<>();
        values.put("baseUrl", baseUrl.toString());
        values.put("displayPrefix", "test");
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return new OpenAiModelProvider(config(values), Map.of(OpenAiSettings.FILEINSTALL_FILENAME,
                "file:/srv/neutron/deploy/dev.neutron.provider.openai-test.cfg"));
    }
}
