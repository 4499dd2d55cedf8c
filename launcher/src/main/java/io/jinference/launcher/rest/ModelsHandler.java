package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.cluster.PlacementStrategy;
import io.jinference.runtime.LaunchSpec;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Set;

/**
 * {@code /v1/models}: OpenAI's model list (with Xinference's description fields), and Xinference's launch,
 * describe and terminate.
 */
final class ModelsHandler {
    /**
     * Launch keys Jinference reads itself or that only mean something to a Xinference cluster (replicas, other
     * workers, virtual environments); every other non-null key is an option ({@code n_gpu} and {@code gpu_idx}
     * among them, which the model manager places by).
     */
    private static final Set<String> LAUNCH_KEYS = Set.of("model_uid", "model_name", "model_engine", "model_type",
            "model_format", "model_size_in_billions", "quantization", "model_path", "replica", "n_worker",
            "placement_strategy",
            "worker_ip", "replica_config", "download_hub", "peft_model_config", "request_limits",
            "enable_virtual_env", "virtual_env_packages", "virtual_env_find_links", "envs", "engine_version",
            "relaunch_on_update");

    /** UIDs name work folders and names registration files: file systems allow 255 bytes per name. */
    static final int MAX_NAME_BYTES = 128;

    private final ModelManager models;
    private final Supplier<String> address;

    ModelsHandler(ModelManager models, Supplier<String> address) {
        this.models = models;
        this.address = address;
    }

    void list(Context ctx) {
        List<Map<String, Object>> data = models.list().stream().map(this::card).toList();
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        Json.send(ctx, list);
    }

    private Map<String, Object> card(ModelInstance instance) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("id", instance.uid());
        card.put("object", "model");
        card.put("created", instance.createdEpochSeconds());
        card.put("owned_by", "jinference");
        card.putAll(instance.describe(address.get()));
        return card;
    }

    void launch(Context ctx) {
        LaunchSpec spec = spec(Json.body(ctx));
        boolean waitReady = !"false".equalsIgnoreCase(ctx.queryParam("wait_ready"));
        Json.send(ctx, Map.of("model_uid", models.launch(spec, waitReady)));
    }

    /** The launch a body asks for, checked as every launch is (a cluster node checks it before placing it). */
    static LaunchSpec spec(ObjectNode body) {
        boolean rerank = rerankType(Json.text(body, "model_type"));
        for (String field : List.of("model_uid", "model_name")) {
            String value = Json.text(body, field);
            if (value != null && value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw ApiError.badRequest(field + " is too long: at most " + MAX_NAME_BYTES + " bytes");
            }
        }
        ModelPathCheck.requireModel(Json.text(body, "model_path"));
        checkPlacementKeys(body);
        return new LaunchSpec(Json.requiredText(body, "model_name"), Json.text(body, "model_engine"),
                Json.text(body, "engine_version"), Json.text(body, "model_format"),
                size(body.get("model_size_in_billions")), Json.text(body, "quantization"),
                Json.text(body, "model_uid"), Json.text(body, "model_path"),
                Json.bool(body, "relaunch_on_update", true), options(body, rerank));
    }

    /**
     * Placement keys, checked on a single node too so that a launch means the same everywhere: a model runs on one
     * worker (no engine here spans several hosts; copies on several workers are {@code replica}), and GPUStack's
     * {@code placement_strategy} is spread or binpack.
     */
    private static void checkPlacementKeys(ObjectNode body) {
        Integer workers = Json.integer(body, "n_worker");
        if (workers != null && workers != 1) {
            throw ApiError.badParameter("n_worker", "n_worker must be 1: a model runs on one worker here (for"
                    + " copies on several workers, use replica); got " + workers);
        }
        try {
            PlacementStrategy.of(Json.text(body, "placement_strategy"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("placement_strategy", e.getMessage());
        }
    }

    /**
     * Xinference's {@code model_type}: LLM (the default), or rerank, which launches the model to rerank (the launch
     * option {@code reranking=true}, which the llama-server backend serves on {@code /v1/rerank}).
     */
    private static boolean rerankType(String modelType) {
        if (modelType == null || modelType.equalsIgnoreCase("LLM")) {
            return false;
        }
        if (modelType.equalsIgnoreCase("rerank")) {
            return true;
        }
        throw ApiError.badParameter("model_type", "model_type must be LLM or rerank, got " + modelType);
    }

    /**
     * The options, where an explicit {@code "n_gpu": null} is Xinference's "CPU only" and so is kept as such, and a
     * rerank model has {@code reranking=true}.
     */
    private static Map<String, Object> options(ObjectNode body, boolean rerank) {
        Map<String, Object> options = Json.rest(body, LAUNCH_KEYS);
        if (body.has("n_gpu") && body.get("n_gpu").isNull()) {
            options.put("n_gpu", "cpu");
        }
        if (rerank) {
            Object reranking = options.putIfAbsent("reranking", true);
            if (reranking != null && !"true".equalsIgnoreCase(String.valueOf(reranking).trim())) {
                throw ApiError.badParameter("reranking", "model_type rerank launches the model with reranking=true;"
                        + " reranking=" + reranking + " contradicts it");
            }
        }
        return options;
    }

    /** Xinference's size: an integer or a string such as "1_8"; a decimal number is accepted as well. */
    static String size(JsonNode size) {
        if (size == null || size.isNull()) {
            return null;
        }
        if (size.isTextual()) {
            return size.asText();
        }
        if (size.isNumber()) {
            return size.decimalValue().stripTrailingZeros().max(BigDecimal.ZERO).toPlainString().replace('.', '_');
        }
        throw ApiError.badRequest("model_size_in_billions must be a number or a string such as \"1_8\"");
    }

    /** OpenAI's model object (openai-python and openai-java read {@code id}) with Xinference's description. */
    void describe(Context ctx) {
        Json.send(ctx, card(models.get(ctx.pathParam("model_uid"))));
    }

    void terminate(Context ctx) {
        models.terminate(ctx.pathParam("model_uid"));
        Json.send(ctx, null);
    }
}
