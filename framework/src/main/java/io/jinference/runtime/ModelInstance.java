package io.jinference.runtime;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ManagedProcess;
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
    private final String why;
    private final long createdEpochSeconds;
    private volatile ModelState state = ModelState.LAUNCHING;
    private volatile RunningModel model;
    private volatile String failure;
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();

    ModelInstance(String uid, ModelFamily family, ModelSpec spec, String quantization, String engine,
            String engineVersion, long engineBundleId, String why) {
        this.uid = uid;
        this.family = family;
        this.spec = spec;
        this.quantization = quantization;
        this.engine = engine;
        this.engineVersion = engineVersion;
        this.engineBundleId = engineBundleId;
        this.why = why;
        this.createdEpochSeconds = System.currentTimeMillis() / 1000;
    }

    public String uid() {
        return uid;
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

    public long engineBundleId() {
        return engineBundleId;
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

    private ManagedProcess deadProcess() {
        return processes.stream().filter(process -> process.state() != ManagedProcess.State.READY
                && process.state() != ManagedProcess.State.STOPPED).findFirst().orElse(null);
    }

    /** The loaded model; only when {@link ModelState#READY}. */
    public RunningModel readyModel() {
        RunningModel loaded = model;
        ModelState current = state();
        if (current != ModelState.READY || loaded == null) {
            String because = current == ModelState.FAILED ? ": " + failure() : "";
            throw new ModelNotReadyException("Model " + uid + " is not ready (" + current.name().toLowerCase() + ")"
                    + because);
        }
        return loaded;
    }

    void ready(RunningModel loaded) {
        model = loaded;
        state = ModelState.READY;
    }

    void failed(String message) {
        failure = message;
        state = ModelState.FAILED;
    }

    /** Moves to TERMINATING and hands back the loaded model (null if none) for closing. */
    RunningModel terminating() {
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
        description.put("model_type", "LLM");
        description.put("address", address);
        description.put("accelerators", List.of());
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
        RunningModel loaded = model;
        if (loaded != null) {
            description.put("engine_details", loaded.describe());
        }
        return description;
    }

    /** Xinference sends a whole size as an integer and a fractional one in its "1_8" spelling. */
    static Object sizeForWire(String size) {
        if (size != null && size.matches("\\d+")) {
            return Long.parseLong(size);
        }
        return size;
    }
}
