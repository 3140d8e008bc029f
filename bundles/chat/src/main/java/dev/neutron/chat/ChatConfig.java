package dev.neutron.chat;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron chat engine", description = "Prompt assembly, context window and generation limits.")
public @interface ChatConfig {
    String PID = "dev.neutron.chat";

    @AttributeDefinition(description = "Model for sessions that name none. Empty: the first model of the first available provider.")
    String defaultModel() default "";

    @AttributeDefinition(description = "System prompt put before every conversation whose chat sets none. Empty: none.")
    String systemPrompt() default "";

    @AttributeDefinition(description = "Model options (Ollama's names) of chats that do not set them, as one JSON"
            + " object, e.g. {\"temperature\":0.2,\"seed\":42}. Empty: the model's own. Fed by the settings.")
    String defaultOptions() default "";

    @AttributeDefinition(description = "Thinking of chats that do not set it: true, false, low, medium or high."
            + " Empty: the model's default. Sent only to models with the thinking capability.")
    String defaultThink() default "";

    @AttributeDefinition(description = "on (also empty) or off: whether a model writes a chat's title after its first"
            + " answer. A new chat gets the first words of its first question as its title either way.")
    String titles() default "";

    @AttributeDefinition(description = "The model that writes titles. Empty: the chat's own model.")
    String titleModel() default "";

    @AttributeDefinition(description = "Longest time a model may take to write a chat's title, in seconds; then the"
            + " request is cancelled and the chat keeps its provisional title.")
    int titleTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Upper bound for the context window asked of a model, in tokens.")
    int maxContextTokens() default 200_000;

    @AttributeDefinition(description = "Context window used when the provider does not report the model's own.")
    int fallbackContextTokens() default 4096;

    @AttributeDefinition(description = "Tokens of the context window kept free for the answer.")
    int answerReserveTokens() default 1024;

    @AttributeDefinition(description = "Most tokens of one answer (Ollama's num_predict). 0: the model's own limit"
            + " (its Modelfile's num_predict, else Ollama's default).")
    int maxAnswerTokens() default 0;

    @AttributeDefinition(description = "Answers generated at the same time, over all sessions. More wait in line.")
    int maxConcurrentGenerations() default 4;

    @AttributeDefinition(description = "Answers that may wait in line, first come first served, for one of the"
            + " maxConcurrentGenerations slots; beyond this a message is refused with too_many_generations (429)."
            + " 0: no line.")
    int maxQueuedGenerations() default 100;

    @AttributeDefinition(description = "Longest wait in line, in seconds; then the answer ends with too_many_generations.")
    int maxQueueWaitSeconds() default 300;

    @AttributeDefinition(description = "Characters of attachment text and images kept in memory between messages, so"
            + " a chat's files are not read again for every message; least recently used ones go first. 0: none kept.")
    int attachmentCacheChars() default 8_000_000;

    @AttributeDefinition(description = "Seconds a finished answer's events stay available for clients that reattach late.")
    int finishedRetentionSeconds() default 120;
}
