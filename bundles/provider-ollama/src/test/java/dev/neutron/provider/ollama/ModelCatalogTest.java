package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private static final Duration TTL = Duration.ofSeconds(5);

    private final CountingSource ollama = new CountingSource();
    private final AtomicLong clock = new AtomicLong();

    @Test
    void listsTagsWithContextLengthAndCapabilitiesFromShow() {
        ollama.add(tag("smollm2:135m", "d1", 98_363_229L), details(8192, "completion"));

        List<ModelInfo> models = catalog(200_000, TTL).list();

        assertEquals(List.of(new ModelInfo("smollm2:135m", "ollama", 98_363_229L, 8192, "llama", "134.52M", "Q4_1",
                List.of("completion"))), models);
    }

    @Test
    void capsContextLengthAtTheConfiguredMaximum() {
        ollama.add(tag("long:1m", "d1", 1L), details(1_048_576, "completion"));

        assertEquals(200_000, catalog(200_000, TTL).list().get(0).contextLength());
    }

    @Test
    void servesTheListFromCacheUntilItExpires() {
        ollama.add(tag("a", "d1", 1L), details(4096));
        ModelCatalog catalog = catalog(200_000, TTL);

        catalog.list();
        clock.addAndGet(TTL.toNanos() - 1);
        catalog.list();
        assertEquals(1, ollama.tagCalls);

        clock.addAndGet(1);
        catalog.list();
        assertEquals(2, ollama.tagCalls);
    }

    @Test
    void aForgottenListIsReadAgainAtOnce() {
        ollama.add(tag("a", "d1", 1L), details(4096));
        ModelCatalog catalog = catalog(200_000, TTL);
        catalog.list();

        ollama.add(tag("b", "d2", 1L), details(4096));
        catalog.forgetList();

        assertEquals(List.of("a", "b"), catalog.list().stream().map(ModelInfo::name).sorted().toList());
        assertEquals(2, ollama.tagCalls);
    }

    @Test
    void asksShowAgainOnlyWhenTheDigestChanges() {
        ollama.add(tag("a", "d1", 1L), details(4096));
        ModelCatalog catalog = catalog(200_000, Duration.ZERO);

        catalog.list();
        catalog.list();
        assertEquals(List.of("a"), ollama.showCalls);

        ollama.add(tag("a", "d2", 1L), details(8192));
        assertEquals(8192, catalog.list().get(0).contextLength());
        assertEquals(List.of("a", "a"), ollama.showCalls);
    }

    @Test
    void listsAModelRemovedBetweenTagsAndShowWithoutDetails() {
        ollama.tags.put("gone", tag("gone", "d1", 1L));

        ModelInfo gone = catalog(200_000, TTL).list().get(0);

        assertEquals("gone", gone.name());
        assertNull(gone.contextLength());
    }

    @Test
    void describeAlwaysAsksOllamaAndReportsMissingModels() {
        ollama.add(tag("a", "d1", 1L), details(4096));
        ModelCatalog catalog = catalog(200_000, TTL);

        catalog.describe("a");
        catalog.describe("a");
        NeutronException missing = assertThrows(NeutronException.class, () -> catalog.describe("nope"));

        assertEquals(List.of("a", "a", "nope"), ollama.showCalls);
        assertEquals(ErrorCode.MODEL_NOT_FOUND, missing.code());
    }

    private ModelCatalog catalog(int maxContextLength, Duration ttl) {
        return new ModelCatalog(ollama, maxContextLength, ttl, clock::get);
    }

    private static ModelSource.Tag tag(String name, String digest, Long size) {
        return new ModelSource.Tag(name, digest, size, "llama", "134.52M", "Q4_1");
    }

    private static ModelSource.Details details(int contextLength, String... capabilities) {
        return new ModelSource.Details(contextLength, List.of(capabilities), "llama", "134.52M", "Q4_1");
    }

    /** An in-memory Ollama that counts what it is asked. */
    private static final class CountingSource implements ModelSource {
        final Map<String, Tag> tags = new HashMap<>();
        final Map<String, Details> details = new HashMap<>();
        final List<String> showCalls = new ArrayList<>();
        int tagCalls;

        void add(Tag tag, Details modelDetails) {
            tags.put(tag.name(), tag);
            details.put(tag.name(), modelDetails);
        }

        @Override
        public List<Tag> tags() {
            tagCalls++;
            return List.copyOf(tags.values());
        }

        @Override
        public Details show(String model) {
            showCalls.add(model);
            Details found = details.get(model);
            if (found == null) {
                throw OllamaErrors.modelNotFound(model);
            }
            return found;
        }
    }
}
