package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prompt assembly for a 200k-token history, against a baseline in the same process: encoding the same messages to UTF-8
 * once (the least that sending them upstream must do). Run with {@code scripts/bench}; prints its figures.
 */
class PromptAssemblyBenchmark {
    private static final int ROUNDS = 30;

    @Test
    void fitting200kTokenHistoryCostsAFewTimesACopy() {
        List<PromptMessage> history = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; tokens < 200_000; i++) {
            String text = ("Turn " + i + ": " + "lorem ipsum dolor sit amet, consectetur adipiscing elit. ").repeat(25);
            PromptMessage message = new PromptMessage(i % 2 == 0 ? "user" : "assistant", text);
            history.add(message);
            tokens += ContextWindow.estimateTokens(message);
        }
        List<PromptMessage> system = List.of(new PromptMessage("system", "You are helpful."));

        long baseline = median(() -> {
            long bytes = 0;
            for (PromptMessage message : history) {
                bytes += message.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            return (int) (bytes % 7);
        });
        long fitAll = median(() -> ContextWindow.fit(system, history, 210_000).messages().size());
        long fitSmall = median(() -> ContextWindow.fit(system, history, 7_168).messages().size());

        ContextWindow.Fit all = ContextWindow.fit(system, history, 210_000);
        ContextWindow.Fit small = ContextWindow.fit(system, history, 7_168);
        assertEquals(0, all.droppedMessages());
        assertTrue(small.droppedMessages() > 0 && small.estimatedTokens() <= 7_168);

        System.out.printf("BENCH prompt-assembly history=%d messages, ~%d tokens, %d chars%n", history.size(), tokens,
                history.stream().mapToInt(m -> m.content().length()).sum());
        System.out.printf("BENCH baseline UTF-8 encode      %8.3f ms%n", baseline / 1e6);
        System.out.printf("BENCH fit into 200k window       %8.3f ms  (%.2fx baseline)%n", fitAll / 1e6, (double) fitAll / baseline);
        System.out.printf("BENCH fit into 8k window (drops) %8.3f ms  (%.2fx baseline), dropped %d%n", fitSmall / 1e6,
                (double) fitSmall / baseline, small.droppedMessages());
    }

    private static long median(java.util.function.IntSupplier work) {
        long[] times = new long[ROUNDS];
        int sink = 0;
        for (int warmup = 0; warmup < 10; warmup++) {
            sink += work.getAsInt();
        }
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            sink += work.getAsInt();
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        if (sink == Integer.MIN_VALUE) {
            System.out.println(sink);
        }
        return times[ROUNDS / 2];
    }
}
