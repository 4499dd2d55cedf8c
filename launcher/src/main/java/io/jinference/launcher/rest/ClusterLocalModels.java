package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.cluster.HeldModel;
import io.jinference.cluster.LocalModels;
import io.jinference.host.GpuStatus;
import io.jinference.runtime.GpuUse;
import io.jinference.runtime.ModelManager;
import io.jinference.runtime.ModelNotFoundException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The cluster's worker agent drives this node's model manager through this: launches as the REST API does. */
public final class ClusterLocalModels implements LocalModels {
    private final ModelManager models;

    public ClusterLocalModels(ModelManager models) {
        this.models = models;
    }

    @Override
    public void launch(String uid, Map<String, Object> launch) {
        ObjectNode body = Json.MAPPER.valueToTree(launch);
        body.put("model_uid", uid);
        models.launch(ModelsHandler.spec(body), false);
    }

    @Override
    public void terminate(String uid) {
        try {
            models.terminate(uid);
        } catch (ModelNotFoundException gone) {
            // it failed and was removed, or was never loaded here: nothing to stop
        }
    }

    @Override
    public List<HeldModel> held() {
        return models.list().stream().map(instance -> new HeldModel(instance.uid(), instance.family().name(),
                instance.state().name().toLowerCase(Locale.ROOT), instance.failure(), 0)).toList();
    }

    @Override
    public List<GpuStatus> gpus() {
        return models.gpuUse().stream().map(GpuUse::gpu).toList();
    }
}
