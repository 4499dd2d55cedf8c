package io.jinference.runtime;

import io.jinference.api.EngineException;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ManagedProcess;
import io.jinference.api.process.ProcessLauncher;
import io.jinference.host.GpuMonitor;
import io.jinference.host.GpuStatus;
import io.jinference.process.ProcessSupervisor;
import io.jinference.registry.Choice;
import io.jinference.registry.Decision;
import io.jinference.registry.EngineDescriptor;
import io.jinference.registry.EngineRegistry;
import io.jinference.registry.SelectionRequest;
import io.jinference.registry.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches, lists, describes and terminates models; the only writer of model state. The engine is the one the
 * {@link Selector} chooses (or the one the client named, if it can run the spec), and every call into an engine
 * runs with the engine bundle's class loader as TCCL.
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);
    private static final String UID_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** How long requests in flight may run on once their engine bundle starts stopping. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final Selector selector;
    private final EngineRegistry registry;
    private final HostProfile host;
    private final Path home;
    private final ChatTemplateRendering templates;
    private final Map<String, ModelInstance> models = new LinkedHashMap<>();
    private final ExecutorService background = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "jinference-launch");
        thread.setDaemon(true);
        return thread;
    });
    private final SecureRandom random = new SecureRandom();
    private final ProcessSupervisor processes;
    private final Duration drainTimeout;
    private final ModelFileSource fileSource;
    private final ModelIsolation isolation;
    private final GpuMonitor gpus;

    /** A manager that runs every model in this process, its engine servers supervised under {@code home}. */
    public ModelManager(Selector selector, EngineRegistry registry, HostProfile host, Path home,
            ChatTemplateRendering templates) {
        this(selector, registry, host, home, templates, DEFAULT_DRAIN_TIMEOUT, ModelIsolation.IN_PROCESS,
                new ProcessSupervisor(home));
    }

    /**
     * @param isolation which engines' models run out of this process, and how they are started
     * @param processes the supervisor of every child this manager starts (engine servers, model hosts); the manager
     *        owns it and closes it
     */
    public ModelManager(Selector selector, EngineRegistry registry, HostProfile host, Path home,
            ChatTemplateRendering templates, Duration drainTimeout, ModelIsolation isolation,
            ProcessSupervisor processes) {
        this(selector, registry, host, home, templates, drainTimeout, isolation, processes, new ModelFiles(home));
    }

    /** @param fileSource where launches without local files get them (the hub module downloads them) */
    public ModelManager(Selector selector, EngineRegistry registry, HostProfile host, Path home,
            ChatTemplateRendering templates, Duration drainTimeout, ModelIsolation isolation,
            ProcessSupervisor processes, ModelFileSource fileSource) {
        this.fileSource = fileSource;
        this.drainTimeout = drainTimeout;
        this.selector = selector;
        this.registry = registry;
        this.host = host;
        this.home = home;
        this.templates = templates;
        this.isolation = isolation;
        this.processes = processes;
        this.gpus = GpuMonitor.of(host);
    }

    /**
     * Launches a model and returns its UID. With {@code waitReady} the call returns once the model serves (a load
     * failure is thrown and the UID is freed); without, it returns at once and a load failure leaves the model
     * {@link ModelState#FAILED} with the reason in its description.
     *
     * @throws LaunchException when no engine can run the spec, the model file is missing or the UID is taken
     * @throws EngineException when the engine fails to load the model
     */
    public String launch(LaunchSpec spec, boolean waitReady) {
        if (spec.modelName() == null || spec.modelName().isBlank()) {
            throw new LaunchException("model_name is required");
        }
        Decision decision = selector.decide(new SelectionRequest(spec.modelName(), spec.format(), spec.size(),
                spec.quantization(), spec.engine(), spec.engineVersion(), SelectionRequest.backendOf(spec.options())),
                host);
        Choice choice = decision.choice();
        if (choice == null) {
            throw new LaunchException("No engine can run " + spec.modelName() + " here: " + decision.explanation());
        }
        Object downloadHub = spec.options().get("download_hub");
        ModelFileSource.PreparedFiles files = fileSource.prepare(decision.family(), choice.spec(),
                choice.quantization(), spec.modelPath(), downloadHub == null ? null : downloadHub.toString());
        InferenceEngine engine = engineService(choice.engine().bundleId(), choice.engine().label());
        Bundle engineBundle = engineBundle(choice.engine().bundleId(), choice.engine().label());
        ModelInstance instance = register(spec, decision.family(), choice);
        instance.provenance(files.provenance());
        boolean isolated = isolation.isolates(engineBundle);
        LOG.info("Launching {} as {} on {} {}{}: {}", spec.modelName(), instance.uid(), choice.engine().engine(),
                choice.engine().version(), isolated ? " in a model host" : "", choice.why());
        Function<LoadRequest, Loader> loaderFor = request -> isolated
                ? context -> isolation.load(request, engineBundle, context)
                : context -> inProcess(engine, request, context);
        if (waitReady) {
            fetchThenLoad(instance, loaderFor, files, decision, choice, spec, true);
        } else {
            background.execute(() -> fetchThenLoad(instance, loaderFor, files, decision, choice, spec, false));
        }
        return instance.uid();
    }

    /** Fetches the model's files (a download may take long, so never under the manager's lock), then loads it. */
    private void fetchThenLoad(ModelInstance instance, Function<LoadRequest, Loader> loaderFor,
            ModelFileSource.PreparedFiles files, Decision decision, Choice choice, LaunchSpec spec, boolean rethrow) {
        Path modelPath;
        try {
            modelPath = files.fetch(instance);
        } catch (RuntimeException e) {
            LOG.warn("Model {}: its files could not be fetched: {}", instance.uid(), e.getMessage());
            if (rethrow) {
                remove(instance);
                throw e;
            }
            instance.failed(e.getMessage());
            return;
        }
        LoadRequest request = new LoadRequest(instance.uid(), decision.family(), choice.spec(), choice.quantization(),
                modelPath, spec.options(), instance.gpuIndexes());
        load(instance, loaderFor.apply(request), rethrow);
    }

    /**
     * Loads an already resolved request on this engine, in this process, and returns once it serves: a model host
     * serving the one model its server chose (family, spec, file and options as the server resolved them).
     *
     * @throws EngineException when the engine fails to load the model
     */
    public String host(LoadRequest request, EngineDescriptor engineDescriptor, String why) {
        InferenceEngine engine = engineService(engineDescriptor.bundleId(), engineDescriptor.label());
        ModelInstance instance;
        synchronized (this) {
            if (models.containsKey(request.modelUid())) {
                throw new LaunchException("Model is already in the model list, uid: " + request.modelUid());
            }
            instance = new ModelInstance(request.modelUid(), request.family(), request.spec(), request.quantization(),
                    engineDescriptor.engine(), String.valueOf(engineDescriptor.version()), engineDescriptor.bundleId(),
                    registry.bundle(engineDescriptor).map(bundle -> bundle.getVersion().toString()).orElse(null),
                    engineDescriptor, why,
                    new LaunchSpec(request.family().name(), engineDescriptor.engine(),
                            String.valueOf(engineDescriptor.version()), request.spec().format(),
                            request.spec().sizeInBillions(), request.quantization(), request.modelUid(),
                            request.modelPath() == null ? null : request.modelPath().toString(), false,
                            request.options()));
            instance.placedOn(request.gpuIndexes());
            models.put(instance.uid(), instance);
        }
        load(instance, context -> inProcess(engine, request, context), true);
        return instance.uid();
    }

    /** How one model is loaded once its work folder and context exist. */
    private interface Loader {
        RunningModel load(HostEngineContext context);
    }

    /** The engine loads the model into this JVM; every call into it runs with the engine bundle's class loader. */
    private static RunningModel inProcess(InferenceEngine engine, LoadRequest request, HostEngineContext context) {
        EngineClassLoader loader = EngineClassLoader.of(engine);
        return new ClassLoaderSafeModel(loader.call(() -> engine.load(request, context)), loader);
    }

    private void load(ModelInstance instance, Loader loader, boolean rethrow) {
        try {
            Path workDir = Files.createDirectories(home.resolve("models").resolve(instance.uid()));
            ProcessLauncher launcher = processSpec -> {
                ManagedProcess process = processes.start(processSpec);
                instance.attach(process);
                return process;
            };
            HostEngineContext context = new HostEngineContext(home, workDir, host, templates, launcher);
            List<GpuStatus> before = instance.gpuIndexes().isEmpty() ? List.of() : gpus.read();
            instance.ready(loader.load(context));
            if (!before.isEmpty()) {
                instance.tookGpuMemory(memoryTaken(instance.gpuIndexes(), before, gpus.read()));
            }
            LOG.info("Model {} is ready", instance.uid());
        } catch (IOException | RuntimeException | LinkageError e) {
            RuntimeException failure = asLoadFailure(instance.uid(), e);
            LOG.warn("Model {} failed to launch: {}", instance.uid(), failure.getMessage(), e);
            if (rethrow) {
                remove(instance.uid());
                throw failure;
            }
            instance.failed(failure.getMessage());
        }
    }

    /** How much less memory each of these GPUs has free now than before; GPUs the reads lack are left out. */
    private static Map<Integer, Long> memoryTaken(List<Integer> indexes, List<GpuStatus> before, List<GpuStatus> after) {
        Map<Integer, Long> taken = new LinkedHashMap<>();
        for (int index : indexes) {
            Optional<GpuStatus> then = before.stream().filter(gpu -> gpu.index() == index).findFirst();
            Optional<GpuStatus> now = after.stream().filter(gpu -> gpu.index() == index).findFirst();
            if (then.isPresent() && now.isPresent() && now.get().measured()) {
                taken.put(index, Math.max(0, then.get().memoryFreeBytes() - now.get().memoryFreeBytes()));
            }
        }
        return taken;
    }

    /** Each GPU of the host as it is now, with the models placed on it. */
    public List<GpuUse> gpuUse() {
        List<ModelInstance> placed = list();
        return gpus.read().stream().map(gpu -> new GpuUse(gpu, placed.stream()
                .filter(instance -> instance.gpuIndexes().contains(gpu.index())).map(ModelInstance::uid).toList()))
                .toList();
    }

    /**
     * What the client is told: an engine's own refusal as it is, anything unexpected (a native library that does
     * not link, a bug) as a load failure with its message, never a stack trace.
     */
    private static RuntimeException asLoadFailure(String uid, Throwable e) {
        if (e instanceof EngineException || e instanceof IllegalArgumentException) {
            return (RuntimeException) e;
        }
        return new EngineException(EngineException.Kind.LOAD_FAILED, "Loading " + uid + " failed: " + e, e);
    }

    private InferenceEngine engineService(long bundleId, String label) {
        return descriptor(bundleId).flatMap(registry::service)
                .orElseThrow(() -> new EngineException(EngineException.Kind.UNAVAILABLE,
                        "Engine " + label + " has no running service (is its bundle started?)"));
    }

    private Bundle engineBundle(long bundleId, String label) {
        return descriptor(bundleId).flatMap(registry::bundle)
                .orElseThrow(() -> new EngineException(EngineException.Kind.UNAVAILABLE,
                        "Engine " + label + " has no installed bundle"));
    }

    private Optional<EngineDescriptor> descriptor(long bundleId) {
        return registry.descriptors().stream().filter(descriptor -> descriptor.bundleId() == bundleId).findFirst();
    }

    /** The engine bundle's exact version (with its qualifier), which the declared engine version leaves out. */
    /** The capability the chosen engine was read from (the backend's own, where one bundle declares several). */
    private EngineDescriptor descriptor(Choice choice) {
        return registry.descriptors().stream()
                .filter(descriptor -> descriptor.bundleId() == choice.engine().bundleId()
                        && descriptor.engine().equals(choice.engine().engine())
                        && java.util.Objects.equals(descriptor.backend(), choice.engine().backend()))
                .findFirst()
                .orElseThrow(() -> new LaunchException("The engine " + choice.engine().label()
                        + " was uninstalled while the model was being launched"));
    }

    private String bundleVersion(Choice choice) {
        return registry.descriptors().stream()
                .filter(descriptor -> descriptor.bundleId() == choice.engine().bundleId())
                .findFirst()
                .flatMap(registry::bundle)
                .map(bundle -> bundle.getVersion().toString())
                .orElse(null);
    }

    /** Registers the model under its UID and places it on GPUs, under the lock so that launches see each other. */
    private synchronized ModelInstance register(LaunchSpec launch, ModelFamily family, Choice choice) {
        // a given host profile describes another machine: its GPUs are not this one's to place on
        List<Integer> placement = GpuPlacement.place(launch.options(), host.probed() ? gpus.read() : List.of(),
                host.probed() && choice.engine().drivesGpuOf(host), choice.engine().label(), modelsPerGpu());
        String uid = launch.modelUid();
        if (uid != null && !uid.isBlank()) {
            ModelInstance existing = models.get(uid);
            if (existing != null && existing.state() != ModelState.FAILED
                    && existing.state() != ModelState.AWAITING_ENGINE) {
                throw new LaunchException("Model is already in the model list, uid: " + uid);
            }
        } else {
            uid = family.name();
            while (models.containsKey(uid)) {
                uid = family.name() + "-" + randomSuffix();
            }
        }
        ModelSpec spec = choice.spec();
        ModelInstance instance = new ModelInstance(uid, family, spec, choice.quantization(), choice.engine().engine(),
                String.valueOf(choice.engine().version()), choice.engine().bundleId(), bundleVersion(choice),
                descriptor(choice), choice.why(), launch);
        instance.placedOn(placement);
        models.put(uid, instance);
        return instance;
    }

    private Map<Integer, Integer> modelsPerGpu() {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        models.values().forEach(instance -> instance.gpuIndexes().forEach(index -> counts.merge(index, 1, Integer::sum)));
        return counts;
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            suffix.append(UID_SUFFIX_CHARS.charAt(random.nextInt(UID_SUFFIX_CHARS.length())));
        }
        return suffix.toString();
    }

    /** The model with this UID, in any state. */
    public synchronized ModelInstance get(String uid) {
        ModelInstance instance = models.get(uid);
        if (instance == null) {
            throw new ModelNotFoundException(uid);
        }
        return instance;
    }

    /** The loaded model behind this UID, ready to serve. */
    public RunningModel ready(String uid) {
        return get(uid).readyModel();
    }

    public synchronized List<ModelInstance> list() {
        return new ArrayList<>(models.values());
    }

    /** Unloads the model and frees its UID. */
    public void terminate(String uid) {
        ModelInstance instance = get(uid);
        RunningModel loaded = instance.terminating();
        try {
            if (loaded != null) {
                loaded.close();
            }
        } finally {
            remove(uid);
            LOG.info("Model {} terminated", uid);
        }
    }

    /**
     * Called synchronously while an engine bundle is stopping (stop, update or removal), before its service goes
     * away: each model it serves refuses new requests (503 with the reason), the requests in flight get up to the
     * drain timeout to finish, then the model is closed. A model launched with {@code relaunch_on_update} then
     * waits for the bundle to start again ({@link #engineStarted}); the others are gone. Models of other engines
     * are not touched.
     */
    public void drainEngineModels(long bundleId) {
        List<ModelInstance> affected = list().stream().filter(instance -> instance.engineBundleId() == bundleId)
                .toList();
        List<ModelInstance> draining = new ArrayList<>();
        for (ModelInstance instance : affected) {
            String reason = "its engine " + instance.engine() + " (bundle " + bundleId
                    + ") is stopping, being updated or removed; retry shortly";
            if (instance.draining(reason)) {
                draining.add(instance);
            } else {
                terminateQuietly(instance.uid());
            }
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (ModelInstance instance : draining) {
            int unfinished = instance.awaitIdle(deadline);
            if (unfinished > 0) {
                LOG.warn("Model {}: {} requests still running after the {} s drain timeout are cut off",
                        instance.uid(), unfinished, drainTimeout.toSeconds());
            }
            closeQuietly(instance);
            if (instance.launch().relaunchOnUpdate()) {
                instance.awaitingEngine("unloaded because its engine bundle " + bundleId
                        + " stopped; relaunched when the bundle starts again");
                LOG.info("Model {} drained and unloaded; it waits for bundle {} to start again", instance.uid(),
                        bundleId);
            } else {
                remove(instance);
                LOG.info("Model {} drained and terminated with its engine bundle {}", instance.uid(), bundleId);
            }
        }
    }

    /** Relaunches, in the background, the models that wait for this engine bundle (which has just started). */
    public void engineStarted(long bundleId) {
        for (ModelInstance waiting : awaitingEngine(bundleId)) {
            LaunchSpec relaunch = waiting.launch().relaunchAs(waiting.uid(), waiting.engine());
            background.execute(() -> {
                if (!isListed(waiting)) {
                    return;
                }
                try {
                    launch(relaunch, false);
                    LOG.info("Relaunching {} after its engine bundle {} started again", waiting.uid(), bundleId);
                } catch (RuntimeException e) {
                    LOG.warn("Model {} cannot be relaunched: {}", waiting.uid(), e.getMessage());
                    waiting.failed("Relaunch after the engine update failed: " + e.getMessage());
                }
            });
        }
    }

    /** Forgets the models that waited for an engine bundle that is now uninstalled. */
    public void engineRemoved(long bundleId) {
        awaitingEngine(bundleId).forEach(this::remove);
    }

    private synchronized List<ModelInstance> awaitingEngine(long bundleId) {
        return models.values().stream().filter(instance -> instance.engineBundleId() == bundleId
                && instance.state() == ModelState.AWAITING_ENGINE).toList();
    }

    private void closeQuietly(ModelInstance instance) {
        RunningModel loaded = instance.terminating();
        try {
            if (loaded != null) {
                loaded.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing {} failed: {}", instance.uid(), e.toString());
        }
    }

    private synchronized boolean isListed(ModelInstance instance) {
        return models.get(instance.uid()) == instance;
    }

    /** Removes this instance, unless its UID has been launched again meanwhile. */
    private synchronized void remove(ModelInstance instance) {
        models.remove(instance.uid(), instance);
    }

    private synchronized void remove(String uid) {
        models.remove(uid);
    }

    private void terminateQuietly(String uid) {
        try {
            terminate(uid);
        } catch (RuntimeException e) {
            LOG.warn("Terminating {} failed: {}", uid, e.toString());
        }
    }

    /** Terminates every model. */
    @Override
    public void close() {
        background.shutdownNow();
        list().forEach(instance -> terminateQuietly(instance.uid()));
        processes.close();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
