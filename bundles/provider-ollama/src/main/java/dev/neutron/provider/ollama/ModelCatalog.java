package dev.neutron.provider.ollama;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Ollama's models with their context lengths. The list is kept for a short time so that listing models stays cheap;
 * what {@code /api/show} says about a model is kept as long as the model's digest stays the same.
 */
final class ModelCatalog {
    private static final System.Logger LOG = System.getLogger(ModelCatalog.class.getName());

    private final ModelSource source;
    private final int maxContextLength;
    private final long listTtlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, ModelSource.Details> detailsByNameAndDigest = new ConcurrentHashMap<>();
    private List<ModelInfo> cachedList;
    private long cachedAtNanos;

    ModelCatalog(ModelSource source, int maxContextLength, Duration listTtl, LongSupplier nanoClock) {
        this.source = source;
        this.maxContextLength = maxContextLength;
        this.listTtlNanos = listTtl.toNanos();
        this.nanoClock = nanoClock;
    }

    synchronized List<ModelInfo> list() {
        long now = nanoClock.getAsLong();
        if (cachedList != null && now - cachedAtNanos < listTtlNanos) {
            return cachedList;
        }
        List<ModelSource.Tag> tags = source.tags();
        Set<String> present = tags.stream().map(ModelCatalog::detailsKey).collect(Collectors.toSet());
        detailsByNameAndDigest.keySet().retainAll(present);
        cachedList = tags.stream().map(this::describeTag).toList();
        cachedAtNanos = now;
        return cachedList;
    }

    /** Drops the cached list, so the next {@link #list()} asks Ollama: after a pull, create, copy or delete. */
    synchronized void forgetList() {
        cachedList = null;
    }

    /** Always asks Ollama, so that a model pulled or removed a moment ago is seen as it is now. */
    ModelInfo describe(String model) {
        ModelSource.Details details = source.show(model);
        return toModelInfo(model, null, details);
    }

    private ModelInfo describeTag(ModelSource.Tag tag) {
        ModelSource.Details details = detailsByNameAndDigest.get(detailsKey(tag));
        if (details == null) {
            details = showUnlessGone(tag.name());
            if (details != null) {
                detailsByNameAndDigest.put(detailsKey(tag), details);
            }
        }
        if (details == null) {
            return new ModelInfo(tag.name(), OllamaModelProvider.ID, tag.sizeBytes(), null,
                    tag.family(), tag.parameterSize(), tag.quantization(), List.of());
        }
        return toModelInfo(tag.name(), tag.sizeBytes(), details);
    }

    private ModelSource.Details showUnlessGone(String model) {
        try {
            return source.show(model);
        } catch (NeutronException e) {
            if (e.code() != ErrorCode.MODEL_NOT_FOUND) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "Model {0} disappeared from Ollama while being listed", model);
            return null;
        }
    }

    private ModelInfo toModelInfo(String name, Long sizeBytes, ModelSource.Details details) {
        return new ModelInfo(name, OllamaModelProvider.ID, sizeBytes, capped(details.contextLength()),
                details.family(), details.parameterSize(), details.quantization(), details.capabilities());
    }

    private Integer capped(Integer contextLength) {
        return contextLength == null ? null : Math.min(contextLength, maxContextLength);
    }

    private static String detailsKey(ModelSource.Tag tag) {
        return tag.name() + "@" + tag.digest();
    }
}
