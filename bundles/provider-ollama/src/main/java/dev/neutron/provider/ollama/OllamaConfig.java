package dev.neutron.provider.ollama;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron Ollama provider", description = "Serves the models of a local Ollama server.")
public @interface OllamaConfig {
    @AttributeDefinition(description = "Ollama's base URL. Empty: the environment variable OLLAMA_HOST (host, host:port or URL), "
            + "else the system property neutron.ollama.url, else http://127.0.0.1:11434")
    String baseUrl() default "";

    @AttributeDefinition(description = "How long to wait for a connection to Ollama, in milliseconds")
    int connectTimeoutMs() default 3000;

    @AttributeDefinition(description = "Longest silence tolerated from Ollama while waiting for or streaming an answer, in "
            + "milliseconds. A streamed answer has no total time limit.")
    int idleTimeoutMs() default 120000;

    @AttributeDefinition(description = "Upper bound for the context length reported for a model, in tokens")
    int maxContextLength() default 200000;

    @AttributeDefinition(description = "A pull that makes no progress for this long while it waits on the registry (the "
            + "manifest or a layer) is stopped and fails with registry_unreachable, in seconds")
    int pullStallTimeoutSeconds() default 30;

    @AttributeDefinition(description = "How long the model list is cached, in seconds (0: not cached)")
    int modelCacheSeconds() default 5;
}
