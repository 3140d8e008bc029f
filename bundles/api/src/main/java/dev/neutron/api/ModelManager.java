package dev.neutron.api;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Managing the models of one provider: list, pull, delete, copy, load, unload and create. Optional: a provider that
 * cannot manage models registers none. Registered with the service property {@value #PROVIDER} naming the provider.
 * Failures are {@link NeutronException}s ({@code model_not_found}, {@code provider_unreachable}, ...).
 *
 * @since 2.3
 */
@ConsumerType
public interface ModelManager {
    /** The service property naming the {@link ModelProvider#id() provider} whose models this manages. */
    String PROVIDER = "provider";

    String provider();

    /** The installed models with their details, newest first. */
    List<InstalledModel> installed();

    /** The models loaded in memory now. */
    List<LoadedModel> loaded();

    /**
     * Starts pulling {@code name} from its registry as a job that runs without any client; a pull of the same name
     * that is still running is returned instead of a new one.
     *
     * @param insecure allow a plain-HTTP registry (a local one)
     */
    ModelJob pull(String name, boolean insecure);

    /** Starts creating a model from an uploaded blob (see {@link #uploadBlob}) and Modelfile settings, as a job. */
    ModelJob create(ModelCreation creation);

    /** The running jobs and the recently finished ones, oldest first. */
    List<ModelJob> jobs();

    /** The job with this id, or {@code null} when there is none (any more). */
    ModelJob job(String id);

    void delete(String name);

    void copy(String from, String to);

    /** Loads the model into memory and keeps it there until {@link #unload}ed or the backend's own expiry. */
    void load(String name);

    void unload(String name);

    /** Hands a file to the backend as a blob with this digest ({@code sha256:<hex>}); the file is only read. */
    void uploadBlob(String digest, Path file);
}
