package io.jinference.cluster;

import io.jinference.host.GpuStatus;
import java.util.List;
import java.util.Map;

/** This node's own models, as the worker side of the cluster sees and drives them (the model manager's view). */
public interface LocalModels {
    /** Starts loading a model the supervisor placed here, without waiting for it to serve. */
    void launch(String uid, Map<String, Object> launch);

    /** Unloads a model that is no longer placed here; a UID this node does not hold is ignored. */
    void terminate(String uid);

    /** The models this node holds now, in any state. */
    List<HeldModel> held();

    /**
     * This node's GPUs as the driver reports them now ({@code nvidia-smi}'s free memory, which counts every process
     * on the device); a GPU of a given host profile is not {@code measured}.
     */
    List<GpuStatus> gpus();
}
