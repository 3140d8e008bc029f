package dev.neutron.provider.openai;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One OpenAI-compatible server. A factory configuration: each {@code dev.neutron.provider.openai-<name>.cfg} in
 * {@code deploy/} starts one more provider, so several servers can be used at once. (The factory PID comes from
 * {@code @Designate(factory = true)} on the component; bnd refuses it named here as well.)
 */
@ObjectClassDefinition(name = "Neutron OpenAI-compatible provider",
        description = "Serves the models of a server that speaks the OpenAI chat completions API "
                + "(OpenAI, Ollama's /v1, llama.cpp server, vLLM, LM Studio...).")
public @interface OpenAiConfig {
    @AttributeDefinition(description = "The URL that /models and /chat/completions hang off, as is: nothing is "
            + "appended. Usually ends in /v1, e.g. http://127.0.0.1:11434/v1 or https://api.openai.com/v1")
    String baseUrl();

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false, description = "Sent as "
            + "'Authorization: Bearer <key>' when set. The property is '.apiKey': a private property (leading dot)"
            + " that DS never copies onto the service, so no other bundle can read it. Never logged, never shown"
            + " by Neutron's API")
    String _apiKey() default "";

    @AttributeDefinition(description = "Models are shown as <displayPrefix>/<model id>, so that several servers "
            + "never clash; the prefix is removed again before calling the server")
    String displayPrefix() default "openai";

    @AttributeDefinition(required = false, description = "The provider's id, shown with each model and status. "
            + "Empty: the displayPrefix")
    String id() default "";

    @AttributeDefinition(description = "How long to wait for a connection, in milliseconds")
    int connectTimeoutMs() default 3000;

    @AttributeDefinition(description = "Longest silence tolerated from the server while waiting for an answer or "
            + "streaming one, in milliseconds. A streamed answer has no total time limit.")
    int idleTimeoutMs() default 120000;

    @AttributeDefinition(description = "Context length of every model of this server, in tokens. The OpenAI API "
            + "does not report one; 0 leaves it unknown, and Neutron then uses fallbackContextTokens of dev.neutron.chat")
    int contextLength() default 0;

    @AttributeDefinition(description = "How long the model list is cached, in seconds (0: not cached)")
    int modelCacheSeconds() default 5;

    @AttributeDefinition(description = "Ask for token counts with stream_options.include_usage; turn off for a "
            + "server that rejects stream_options")
    boolean includeUsage() default true;

    @AttributeDefinition(description = "Send only the OpenAI API's own sampling fields (temperature, top_p, seed, "
            + "stop, presence_penalty, frequency_penalty, max_tokens); turn on for a server that refuses other fields, "
            + "such as api.openai.com. Off: other options (top_k, repeat_penalty, min_p, ...) go under their Ollama "
            + "names, which llama.cpp's server takes")
    boolean standardOptionsOnly() default false;
}
