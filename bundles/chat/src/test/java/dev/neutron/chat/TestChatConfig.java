package dev.neutron.chat;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link ChatConfig} with the given properties and the declared defaults for the rest, as DS would build it. */
final class TestChatConfig {
    private TestChatConfig() {
    }

    static ChatConfig of(Map<String, Object> properties) {
        return (ChatConfig) Proxy.newProxyInstance(ChatConfig.class.getClassLoader(), new Class<?>[] {ChatConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> ChatConfig.class;
                    case "toString" -> "ChatConfig" + properties;
                    case "hashCode" -> properties.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> properties.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
