package io.jinference.engine.transformers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Transformers engine: Hugging Face pytorch-format checkpoints on libtorch through DJL, in this JVM. */
public final class TransformersEngine implements InferenceEngine {
    public static final String NAME = "Transformers";
    /** The capability's backend attribute: the Python backend is {@code python}. */
    static final String BACKEND = "jvm";
    private static final Logger LOG = LoggerFactory.getLogger(TransformersEngine.class);

    private final Path home;
    private NDManager root;

    /** @param home the Jinference home; DJL's caches go under it */
    public TransformersEngine(Path home) {
        this.home = home;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        try {
            DjlRuntime.configure(home);
            // Presence only: libtorch loads with the first model, in the model host that runs it.
            return ProbeResult.available(DjlRuntime.describePresent());
        } catch (RuntimeException | LinkageError e) {
            return ProbeResult.missing("libtorch could not be loaded through DJL on this host: " + e.getMessage());
        }
    }

    /**
     * Every launch key this backend reads, and the ones the host reads for it (the backend pin; {@code n_gpu} and
     * {@code gpu_idx}, which the host's GPU placement checks).
     */
    static final Set<String> KEYS = Set.of("model_backend", "torch_dtype", "dtype", "context_length", "n_ctx",
            "n_gpu", "gpu_idx");

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        refuseUnknownKeys(request);
        Object pinned = request.options().get("model_backend");
        if (pinned != null && !BACKEND.equalsIgnoreCase(pinned.toString().trim())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The launch pins Transformers' '" + pinned
                    + "' backend (model_backend), but the in-JVM backend (jvm) was asked to load it: the pin was not"
                    + " honoured, so nothing is loaded (GET /v1/engines/{model}/explain?backend=" + pinned + ")");
        }
        Path folder = request.modelPath();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED,
                    "Cannot load the checkpoint: " + folder + " is not a folder (a Hugging Face checkpoint is a folder"
                            + " with config.json, *.safetensors and tokenizer.json)");
        }
        DjlRuntime.configure(home);
        return DjlRuntime.callOnPassingThread(() -> loadInRuntime(request, context, folder));
    }

    private RunningModel loadInRuntime(LoadRequest request, EngineContext context, Path folder) {
        JsonObject configJson = Checkpoint.readJson(folder, "config.json", true);
        if (!Files.isRegularFile(folder.resolve("tokenizer.json"))) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED,
                    "Cannot load the checkpoint: tokenizer.json is missing from " + folder);
        }
        String dtype = stringOption(request, "torch_dtype", stringOption(request, "dtype", null));
        DecoderModel model = Checkpoint.loadModel(folder, rootManager(), dtype);
        try {
            HuggingFaceTokenizer tokenizer = tokenizer(folder);
            ModelConfig config = model.config();
            GenerationDefaults defaults = GenerationDefaults.parse(
                    Checkpoint.readJson(folder, "generation_config.json", false), configJson);
            JsonObject tokenizerConfig = Checkpoint.readJson(folder, "tokenizer_config.json", false);
            Set<Long> stopIds = new HashSet<>(defaults.eosTokenIds());
            if (request.family() != null) {
                request.family().stopTokenIds().forEach(id -> stopIds.add(id.longValue()));
            }
            int contextLength = Math.min(config.maxPositions(),
                    request.intOption("context_length", request.intOption("n_ctx", config.maxPositions())));
            String familyTemplate = request.family() == null ? null : request.family().chatTemplate();
            List<String> familyStops = request.family() == null ? List.of() : request.family().stop();
            LOG.info("Loaded {} ({}, {} layers, {}) from {}", config.architecture().className, model.dtype(),
                    config.layers(), request.modelUid(), folder);
            ChatFormat chatFormat = ChatFormat.from(tokenizerConfig, familyTemplate);
            Map<String, Object> description = new LinkedHashMap<>(
                    TransformersModel.description(config, model, contextLength, DjlRuntime.describe()));
            if (chatFormat.available()) {
                // the host reads tool calls out of the answers in the format this template teaches the model
                description.put("chat_template_text", chatFormat.template());
            }
            return new TransformersModel(model, tokenizer, chatFormat, defaults, stopIds, familyStops, contextLength,
                    context, Map.copyOf(description));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private synchronized NDManager rootManager() {
        if (root == null) {
            root = NDManager.newBaseManager();
        }
        return root;
    }

    private static HuggingFaceTokenizer tokenizer(Path folder) {
        try {
            // No truncation or padding: the engine checks the prompt against the context itself.
            return HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"),
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
        } catch (IOException | RuntimeException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED,
                    "Cannot load the checkpoint: tokenizer.json could not be read (" + e.getMessage() + ")");
        }
    }

    /**
     * A key this backend does not read is refused rather than silently dropped (a vLLM flag such as
     * {@code tool_call_parser} sent to a model the selection gave to this engine would otherwise do nothing).
     */
    private static void refuseUnknownKeys(LoadRequest request) {
        Set<String> unknown = new TreeSet<>(request.options().keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The in-JVM Transformers backend (DJL)"
                    + " does not understand the launch option" + (unknown.size() == 1 ? " " : "s ") + unknown
                    + "; it reads " + new TreeSet<>(KEYS) + ". The Python backend (model_backend: python) passes"
                    + " other keys to its server.");
        }
    }

    private static String stringOption(LoadRequest request, String key, String fallback) {
        Object value = request.options().get(key);
        return value == null ? fallback : value.toString();
    }

    /** Frees the engine's root memory pool; models loaded by it must be closed first. */
    public synchronized void close() {
        if (root != null) {
            DjlRuntime.run(root::close);
            root = null;
        }
    }
}
