package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of sizing {@code num_ctx} per request, against the real Ollama: a chat that grows past the window steps
 * (automatic window), the same chat with a fixed window, and a long and a short chat taking turns (where a window
 * sized to each prompt would reload the model at every switch). Time to first token per turn from outside, and every
 * change of the window the model was asked for (Ollama reloads the model for each), counted from the answers' stats.
 * Run by {@code scripts/bench}.
 */
class ContextWindowBench {
    @TempDir
    Path temp;

    @Test
    void windowSteps() throws Exception {
        boolean smoke = BenchFragment.smoke();
        int turns = smoke ? 6 : 40;
        // 40 turns of 450 characters (about 4,600 real tokens) cross the 4,096 step but stay below the 8,192 limit of
        // the test model: past it every turn drops the oldest messages, the prompt's start changes and Ollama evaluates
        // the whole prompt again (about 200 tokens/s here, so 30 s a turn), which measures the CPU, not the window policy
        int fillerChars = smoke ? 2_400 : 450;
        // each switch between the two chats evaluates the long one's whole prompt again, for the same reason
        int switches = smoke ? 2 : 4;
        String model = NeutronServer.model();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        StreamTimer timer = new StreamTimer(http);
        BenchFragment out = new BenchFragment("context-window", "Context window: a " + turns + "-turn chat growing"
                + " past the window steps (real " + model + ", " + fillerChars + " characters a turn)");
        Files.createDirectories(temp.resolve("data"));
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        // a long prompt on a busy 2-core machine can take Ollama longer than the default 120 s before its first byte
        NeutronServer.dropIn(distribution.resolve("deploy"), "dev.neutron.provider.ollama.cfg",
                ("baseUrl=" + NeutronServer.ollamaUrl() + "\nidleTimeoutMs=900000\n").getBytes(StandardCharsets.UTF_8));
        try (NeutronServer neutron = new NeutronServer(distribution, temp.resolve("data"),
                Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl())).start()) {
            Chat growing = new Chat(neutron, timer, model, Map.of("num_predict", 8, "temperature", 0));
            Chat fixed = new Chat(neutron, timer, model, Map.of("num_predict", 8, "temperature", 0, "num_ctx", 8192));
            Chat shortOne = new Chat(neutron, timer, model, Map.of("num_predict", 8, "temperature", 0));
            for (int turn = 0; turn < turns; turn++) {
                growing.say(turn, fillerChars);
            }
            double growingP50 = growing.firstToken.p50();
            double growingP95 = growing.firstToken.p95();
            for (int turn = 0; turn < turns; turn++) {
                fixed.say(turn, fillerChars);
            }
            Chat longOne = growing;
            for (int turn = 0; turn < switches; turn++) {
                longOne.say(turns + turn, fillerChars);
                shortOne.say(turn, 40);
            }
            out.row("growing chat: time to first token p50", "ms", growingP50, fixed.firstToken.p50(),
                    "same chat, fixed num_ctx 8192", null, null);
            out.row("growing chat: time to first token p95", "ms", growingP95, fixed.firstToken.p95(),
                    "same chat, fixed num_ctx 8192", null, null);
            out.row("growing chat: window changes (model reloads)", "count", growing.changes(0, turns), 0.0,
                    "fixed num_ctx", "as few as the window steps", null);
            double changesWhileSwitching = changesAcross(growing, shortOne, turns, switches);
            out.row("long and short chat taking turns: window changes", "count", changesWhileSwitching,
                    "0 (the loaded window fits the short chat)", changesWhileSwitching == 0);
            out.note("Windows of the growing chat, turn by turn: " + growing.windows.subList(0, turns));
            out.note("Windows while taking turns (long, short, ...): " + interleaved(growing, shortOne, turns, switches));
            out.note("Reloads are counted where the window asked of the model changes from the request before;"
                    + " stats.contextReload reported " + growing.reportedReloads + " in the growing chat.");
            out.write();
        }
    }

    private static List<Integer> interleaved(Chat longOne, Chat shortOne, int turns, int switches) {
        List<Integer> windows = new java.util.ArrayList<>();
        for (int i = 0; i < switches; i++) {
            windows.add(longOne.windows.get(turns + i));
            windows.add(shortOne.windows.get(i));
        }
        return windows;
    }

    private static double changesAcross(Chat longOne, Chat shortOne, int turns, int switches) {
        List<Integer> windows = interleaved(longOne, shortOne, turns, switches);
        int changes = 0;
        for (int i = 1; i < windows.size(); i++) {
            if (!windows.get(i).equals(windows.get(i - 1))) {
                changes++;
            }
        }
        return changes;
    }

    /** One chat of the run, with each turn's window and time to first token. */
    private static final class Chat {
        private final NeutronServer neutron;
        private final StreamTimer timer;
        private final String session;
        final Samples firstToken = new Samples();
        final List<Integer> windows = new java.util.ArrayList<>();
        int reportedReloads;

        Chat(NeutronServer neutron, StreamTimer timer, String model, Map<String, Object> options) throws Exception {
            this.neutron = neutron;
            this.timer = timer;
            this.session = neutron.json("POST", "/api/v1/chat/sessions", Map.of("title", "window", "model", model,
                    "options", options), 201).get("id").asText();
        }

        void say(int turn, int fillerChars) throws Exception {
            StringBuilder text = new StringBuilder("Turn " + turn + ". Remember these notes and answer with one word. ");
            while (text.length() < fillerChars) {
                text.append("The quick brown fox ").append(turn).append(" jumps over the lazy dog. ");
            }
            StreamTimer.Timing timing = timer.neutron(neutron.baseUrl(), session, text.toString());
            JsonNode stats = timing.last().path("message").path("stats");
            firstToken.add(timing.firstTokenMs());
            windows.add(stats.path("contextWindow").asInt());
            if (stats.path("contextReload").asBoolean()) {
                reportedReloads++;
            }
        }

        double changes(int from, int to) {
            int changes = 0;
            for (int i = from + 1; i < to; i++) {
                if (!windows.get(i).equals(windows.get(i - 1))) {
                    changes++;
                }
            }
            return changes;
        }
    }
}
