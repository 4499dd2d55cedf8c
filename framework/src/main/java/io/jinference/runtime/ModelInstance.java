package io.jinference.runtime;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ManagedProcess;
import io.jinference.registry.EngineDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One launched model: what was chosen for it, its state and, once ready, the loaded model. Only the
 * {@link ModelManager} changes its state.
 */
public final class ModelInstance {
    private final String uid;
    private final ModelFamily family;
    private final ModelSpec spec;
    private final String quantization;
    private final String engine;
    private final String engineVersion;
    private final long engineBundleId;
    private final String engineBundleVersion;
    private final String engineLabel;
    private final List<String> engineAbilities;
    private final String why;
    private final LaunchSpec launch;
    private final long createdEpochSeconds;
    private volatile ModelState state = ModelState.LAUNCHING;
    private volatile DrainableModel model;
    private volatile String failure;
    private volatile String statusReason;
    private volatile Map<String, Object> provenance = Map.of();
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
    private volatile List<Integer> gpuIndexes = List.of();
    private volatile Map<Integer, Long> gpuMemoryBytes = Map.of();

    ModelInstance(String uid, ModelFamily family, ModelSpec spec, String quantization, String engine,
            String engineVersion, long engineBundleId, String engineBundleVersion, EngineDescriptor descriptor,
            String why, LaunchSpec launch) {
        this.uid = uid;
        this.family = family;
        this.spec = spec;
        this.quantization = quantization;
        this.engine = engine;
        this.engineVersion = engineVersion;
        this.engineBundleId = engineBundleId;
        this.engineBundleVersion = engineBundleVersion;
        this.engineLabel = descriptor.label();
        this.engineAbilities = descriptor.abilities();
        this.why = why;
        this.launch = launch;
        this.createdEpochSeconds = System.currentTimeMillis() / 1000;
    }

    public String uid() {
        return uid;
    }

    /** The GPUs this model was placed on; empty when it runs on the CPU. */
    public List<Integer> gpuIndexes() {
        return gpuIndexes;
    }

    void placedOn(List<Integer> indexes) {
        this.gpuIndexes = List.copyOf(indexes);
    }

    /**
     * Device memory the model took on each of its GPUs: how much less was free after its load than before. A launch
     * on the same GPU at the same time blurs the figure; it is what the next placement sees either way.
     */
    public Map<Integer, Long> gpuMemoryBytes() {
        return gpuMemoryBytes;
    }

    void tookGpuMemory(Map<Integer, Long> bytes) {
        this.gpuMemoryBytes = Map.copyOf(bytes);
    }

    public ModelFamily family() {
        return family;
    }

    /**
     * The state; a ready model whose engine server died (or is being relaunched) is {@link ModelState#FAILED}
     * until the server serves again.
     */
    public ModelState state() {
        ModelState current = state;
        return current == ModelState.READY && deadProcess() != null ? ModelState.FAILED : current;
    }

    public String engine() {
        return engine;
    }

    /** The engine and backend serving the model, as people read it: "llama.cpp 0.1.0 (jvm)". */
    public String engineLabel() {
        return engineLabel;
    }

    /**
     * What the model's engine declares it can do (capability attribute {@code abilities}): chat, generate, embed,
     * and request features such as tools, structured_output, logprobs, echo.
     */
    public List<String> engineAbilities() {
        return engineAbilities;
    }

    public long engineBundleId() {
        return engineBundleId;
    }

    /** What the client asked for, to relaunch the model the same way. */
    LaunchSpec launch() {
        return launch;
    }

    /**
     * True when the model was launched to rerank ({@code reranking=true}, or Xinference's {@code model_type} rerank):
     * it then answers {@code /v1/rerank} and Xinference describes it as a rerank model.
     */
    public boolean reranks() {
        return "true".equalsIgnoreCase(String.valueOf(launch.options().get("reranking")).trim());
    }

    public long createdEpochSeconds() {
        return createdEpochSeconds;
    }

    /** Why the launch failed; null unless {@link ModelState#FAILED}. */
    public String failure() {
        ManagedProcess dead = state == ModelState.READY ? deadProcess() : null;
        if (dead != null) {
            return dead.failure() != null ? dead.failure() : "engine server " + dead.name() + " is restarting";
        }
        return failure;
    }

    /** Ties an engine server process to this model, so that its death shows in the model's state. */
    void attach(ManagedProcess process) {
        processes.add(process);
    }

    /** How often its engine server processes were started again after they died. */
    public int restarts() {
        return processes.stream().mapToInt(process -> Math.max(0, process.generation() - 1)).sum();
    }

    /** The last {@code count} lines its engine server processes logged (none for a model served in process). */
    public List<String> logTail(int count) {
        return processes.stream().flatMap(process -> process.lastLogLines(count).stream()).toList();
    }

    private ManagedProcess deadProcess() {
        return processes.stream().filter(process -> process.state() != ManagedProcess.State.READY
                && process.state() != ManagedProcess.State.STOPPED).findFirst().orElse(null);
    }

    /** The loaded model; only when {@link ModelState#READY}. */
    public RunningModel readyModel() {
        RunningModel loaded = model;
        ModelState current = state();
        if (current != ModelState.READY || loaded == null) {
            String because = current == ModelState.FAILED ? ": " + failure()
                    : statusReason != null ? ": " + statusReason : "";
            throw new ModelNotReadyException("Model " + uid + " is not ready (" + current.name().toLowerCase() + ")"
                    + because);
        }
        return loaded;
    }

    /** Where the model's files came from (hub, repository, commit), shown in its description. */
    void provenance(Map<String, Object> origin) {
        provenance = Map.copyOf(origin);
    }

    void ready(RunningModel loaded) {
        model = new DrainableModel(uid, loaded);
        state = ModelState.READY;
    }

    /** Refuses new requests with the reason (503) while the ones in flight finish; false unless it was ready. */
    synchronized boolean draining(String reason) {
        DrainableModel loaded = model;
        if (state != ModelState.READY || loaded == null) {
            return false;
        }
        statusReason = reason;
        state = ModelState.DRAINING;
        loaded.refuse("Model " + uid + " is draining: " + reason);
        return true;
    }

    /** Waits for the requests in flight, at most until the deadline; returns how many are still running. */
    int awaitIdle(long deadlineNanos) {
        DrainableModel loaded = model;
        return loaded == null ? 0 : loaded.awaitIdle(deadlineNanos);
    }

    /** Unloaded, waiting for its engine bundle to start again. */
    void awaitingEngine(String reason) {
        statusReason = reason;
        state = ModelState.AWAITING_ENGINE;
    }

    void failed(String message) {
        failure = message;
        state = ModelState.FAILED;
    }

    /** Moves to TERMINATING and hands back the loaded model (null if none) for closing. */
    synchronized RunningModel terminating() {
        state = ModelState.TERMINATING;
        RunningModel loaded = model;
        model = null;
        return loaded;
    }

    /**
     * Xinference's model description ({@code LLMFamilyV2.to_description()} plus engine and replica), with
     * Jinference's additions: the state, why this engine was chosen, and the engine's own facts.
     */
    public Map<String, Object> describe(String address) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("model_type", reranks() ? "rerank" : "LLM");
        description.put("address", address);
        description.put("accelerators", gpuIndexes.stream().map(String::valueOf).toList());
        description.put("model_name", family.name());
        description.put("model_lang", family.languages());
        description.put("model_ability", family.abilities());
        description.put("model_description", family.description());
        description.put("model_format", spec.format());
        description.put("model_size_in_billions", sizeForWire(spec.sizeInBillions()));
        description.put("model_family", family.baseFamily() != null ? family.baseFamily() : family.name());
        description.put("quantization", quantization);
        description.put("context_length", family.contextLength());
        description.put("model_engine", engine);
        description.put("engine_version", engineVersion);
        description.put("replica", 1);
        description.put("status", state().name().toLowerCase());
        description.put("why", why);
        if (failure() != null) {
            description.put("failure", failure());
        }
        if (statusReason != null && (state == ModelState.DRAINING || state == ModelState.AWAITING_ENGINE)) {
            description.put("status_reason", statusReason);
        }
        if (!gpuIndexes.isEmpty()) {
            description.put("gpu_idx", gpuIndexes);
            Map<String, Long> memory = new LinkedHashMap<>();
            gpuMemoryBytes.forEach((index, bytes) -> memory.put(String.valueOf(index), bytes));
            description.put("gpu_memory_bytes", memory);
        }
        description.put("engine_bundle_id", engineBundleId);
        description.put("engine_bundle_version", engineBundleVersion);
        // Xinference's spec fields: where the files come from and at which revision (null for a local file).
        description.put("model_hub", provenance.getOrDefault("model_hub", defaultHub()));
        description.put("revision", provenance.get("model_revision"));
        description.putAll(provenance);
        RunningModel loaded = model;
        if (loaded != null) {
            description.put("engine_details", loaded.describe());
        }
        return description;
    }

    /** The hub the spec names first, as Xinference's description shows for a model it has not downloaded. */
    private Object defaultHub() {
        return spec.sources().isEmpty() ? null : spec.sources().keySet().stream().sorted().findFirst().orElse(null);
    }

    /** Xinference sends a whole size as an integer and a fractional one in its "1_8" spelling. */
    static Object sizeForWire(String size) {
        if (size != null && size.matches("\\d+")) {
            return Long.parseLong(size);
        }
        return size;
    }
}
