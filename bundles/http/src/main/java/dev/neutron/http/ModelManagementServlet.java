package dev.neutron.http;

import dev.neutron.api.DataDirectory;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelCreation;
import dev.neutron.api.ModelJob;
import dev.neutron.api.ModelJobEvent;
import dev.neutron.api.ModelJobStatus;
import dev.neutron.api.ModelManager;
import dev.neutron.api.NeutronException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /api/v1/models/*}: the model manager of the provider that offers one. Model names travel in bodies and query
 * strings, never in path segments (they hold '/' and ':'). Pulls and creates are jobs with SSE progress.
 */
@Component(service = Servlet.class, configurationPid = ModelManagementConfig.PID)
@Designate(ocd = ModelManagementConfig.class)
@HttpWhiteboardServletPattern({"/api/v1/models", "/api/v1/models/*"})
@HttpWhiteboardServletName("neutron-model-management")
@HttpWhiteboardServletAsyncSupported
public class ModelManagementServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_JSON_BYTES = 1 << 20;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelManager manager;

    private final transient GgufUpload uploads;
    private final transient SseStreams streams;

    @Activate
    public ModelManagementServlet(ModelManagementConfig config) {
        this.uploads = new GgufUpload(DataDirectory.resolve(config.dataDir()).resolve("model-uploads"),
                config.maxModelFileBytes());
        this.streams = SseStreams.withOwnThreads(config.heartbeatSeconds());
    }

    @Deactivate
    void deactivate() {
        streams.close();
    }

    @Override
    protected int maxJsonBodyBytes() {
        return MAX_JSON_BYTES;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        manager(); // refused before any body is read: without a manager nothing here can work
        if (path.isEmpty() || path.equals("/")) {
            switch (method) {
                case "GET" -> writeJson(response, 200, Map.of("models", manager().installed()));
                case "DELETE" -> {
                    manager().delete(request.getParameter("name"));
                    response.setStatus(204);
                }
                default -> throw methodNotAllowed(request, response, "GET, DELETE");
            }
            return;
        }
        if (path.startsWith("/jobs")) {
            jobs(path.substring("/jobs".length()), request, response);
            return;
        }
        switch (path) {
            case "/loaded" -> {
                requireMethod(request, response, "GET");
                writeJson(response, 200, Map.of("models", manager().loaded()));
            }
            case "/pull" -> {
                requireMethod(request, response, "POST");
                ModelRequests.Pull pull = readJson(request, ModelRequests.Pull.class);
                ModelJob job = manager().pull(pull.name(), Boolean.TRUE.equals(pull.insecure()));
                writeJson(response, 202, Map.of("job", job.status()));
            }
            case "/create" -> {
                requireMethod(request, response, "POST");
                ModelRequests.Create create = readJson(request, ModelRequests.Create.class);
                ModelJob job = manager().create(new ModelCreation(create.name(), create.blob(), create.system(),
                        create.template(), create.parameters()));
                writeJson(response, 202, Map.of("job", job.status()));
            }
            case "/copy" -> {
                requireMethod(request, response, "POST");
                ModelRequests.Copy copy = readJson(request, ModelRequests.Copy.class);
                manager().copy(copy.from(), copy.to());
                response.setStatus(204);
            }
            case "/load", "/unload" -> {
                requireMethod(request, response, "POST");
                String name = readJson(request, ModelRequests.Name.class).name();
                if (path.equals("/load")) {
                    manager().load(name);
                } else {
                    manager().unload(name);
                }
                response.setStatus(204);
            }
            case "/blobs" -> {
                requireMethod(request, response, "POST");
                uploadBlob(request, response);
            }
            default -> throw new NeutronException(ErrorCode.NOT_FOUND, "No endpoint " + request.getRequestURI()
                    + ". See CHAT_API.md, section 'Model management'.");
        }
    }

    private void uploadBlob(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ModelManager models = manager();
        GgufUpload.Staged staged = uploads.stage(body(request), request.getContentLengthLong());
        try {
            models.uploadBlob(staged.digest(), staged.file());
        } finally {
            GgufUpload.deleteQuietly(staged.file());
        }
        writeJson(response, 200, Map.of("digest", staged.digest(), "sizeBytes", staged.sizeBytes()));
    }

    private void jobs(String rest, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (rest.isEmpty() || rest.equals("/")) {
            requireMethod(request, response, "GET");
            List<ModelJobStatus> jobs = manager().jobs().stream().map(ModelJob::status).toList();
            writeJson(response, 200, Map.of("jobs", jobs));
            return;
        }
        String[] parts = rest.substring(1).split("/", -1);
        boolean events = parts.length == 2 && parts[1].equals("events");
        if (!events && parts.length != 1) {
            throw new NeutronException(ErrorCode.NOT_FOUND, "No endpoint " + request.getRequestURI() + ".");
        }
        // the method is checked before the job is looked up, so a wrong method is a 405 whether or not the job exists
        String method = request.getMethod();
        if (events ? !"GET".equals(method) : !"GET".equals(method) && !"DELETE".equals(method)) {
            throw methodNotAllowed(request, response, events ? "GET" : "GET, DELETE");
        }
        ModelJob job = manager().job(parts[0]);
        if (job == null) {
            throw new NeutronException(ErrorCode.JOB_NOT_FOUND, "No model job '" + parts[0] + "'. Finished jobs are "
                    + "kept for 30 minutes; list the current ones with GET /api/v1/models/jobs.");
        }
        if (events) {
            streams.open(request, response, events(job), SseStreams.lastEventId(request));
        } else if ("GET".equals(method)) {
            writeJson(response, 200, Map.of("job", job.status()));
        } else {
            job.cancel();
            writeJson(response, 200, Map.of("job", job.status()));
        }
    }

    /** A job's events as SSE: {@code progress} and {@code done} carry the job; {@code error} the error and the job. */
    static SseSource events(ModelJob job) {
        return (after, listener) -> job.subscribe(after, event -> listener.accept(
                new SseSource.Event(event.id(), event.type(), data(event), event.terminal())));
    }

    private static Object data(ModelJobEvent event) {
        if (!ModelJobEvent.ERROR.equals(event.type()) || event.job().error() == null) {
            return event.job();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error", event.job().error());
        data.put("job", event.job());
        return data;
    }

    private ModelManager manager() {
        ModelManager current = manager;
        if (current == null) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "No model provider that can manage models is "
                    + "running, so models cannot be listed, pulled, deleted or created here. Start the Ollama provider "
                    + "bundle (neutron-provider-ollama); other providers cannot manage models.");
        }
        return current;
    }

    private static void requireMethod(HttpServletRequest request, HttpServletResponse response, String method) {
        if (!method.equals(request.getMethod())) {
            throw methodNotAllowed(request, response, method);
        }
    }
}
