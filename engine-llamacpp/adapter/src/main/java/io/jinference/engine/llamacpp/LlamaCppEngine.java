package io.jinference.engine.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The llama.cpp engine: runs GGUF models in this JVM through java-llama.cpp. Every model file is checked in Java
 * ({@link GgufHeader}) before native code sees it, so a damaged file or an architecture this llama.cpp build does
 * not know is a clear load error rather than a crash.
 */
public final class LlamaCppEngine implements InferenceEngine {

    public static final String NAME = "llama.cpp";

    private final Path nativeDir;

    /** @param nativeDir where java-llama.cpp may extract its native library (see {@link NativeRuntime}) */
    public LlamaCppEngine(Path nativeDir) {
        this.nativeDir = nativeDir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        // Presence only: the library loads with the first model, in the model host that runs it.
        String failure = NativeRuntime.presence();
        return failure == null ? ProbeResult.available(NativeRuntime.DESCRIPTION) : ProbeResult.missing(failure);
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        Object pinned = request.options().get("model_backend");
        if (pinned != null && !"jvm".equalsIgnoreCase(pinned.toString().trim())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The launch pins llama.cpp's '" + pinned
                    + "' backend (model_backend), but the in-JVM backend (jvm) was asked to load it: the pin"
                    + " was not honoured, so nothing is loaded (GET /v1/engines/{model}/explain?backend=" + pinned + ")");
        }
        Path file = request.modelPath();
        GgufHeader header = readHeader(file);
        String architecture = header.architecture();
        if (!GgufArchitectures.SUPPORTED.contains(architecture)) {
            throw loadFailed("MODEL_UNSUPPORTED: the GGUF architecture '" + architecture + "' of " + file
                    + " is not one that llama.cpp b4916 (java-llama.cpp 4.2.0, the in-JVM backend) can run; the"
                    + " server backend (llama-server, `jinf runtimes install llama.cpp`) runs current architectures");
        }
        ChatPrompt.requireFinishes(header, context);
        String nativeFailure = NativeRuntime.ensureLoaded(nativeDir);
        if (nativeFailure != null) {
            throw loadFailed(nativeFailure);
        }
        int cores = context.host() != null && context.host().cpuCores() > 0
                ? context.host().cpuCores() : Runtime.getRuntime().availableProcessors();
        LoadOptions options = LoadOptions.from(request, header.contextLength().orElse(0L), cores);
        ModelParameters parameters = new ModelParameters()
                .setModel(file.toAbsolutePath().toString())
                .setCtxSize(options.totalContext())
                .setParallel(options.parallelSlots())
                .setThreads(options.threads())
                .setThreadsBatch(options.threads());
        if (options.seed() != null) {
            parameters.setSeed(options.seed());
        }
        if (options.embedding()) {
            parameters.enableEmbedding();
            String pooling = embeddingPooling(header, options);
            if (pooling != null) {
                parameters.setPoolingType(PoolingType.valueOf(pooling.toUpperCase(Locale.ROOT)));
            }
        }
        LlamaModel model;
        try {
            model = new LlamaModel(parameters);
        } catch (RuntimeException e) {
            // java-llama.cpp's LlamaException (package-private): the native loader refused the file
            throw loadFailed("llama.cpp could not load " + file + ": " + e.getMessage());
        }
        ChatPrompt chatPrompt;
        try {
            chatPrompt = ChatPrompt.of(header, request.family(), new NativeChatFormat(model), context);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        List<String> familyStop = request.family() == null ? List.of() : request.family().stop();
        return new LlamaCppModel(model, options, chatPrompt, familyStop, context,
                describe(file, header, options, chatPrompt));
    }

    /**
     * Embedding models say how they pool ({@code <arch>.pooling_type}); a chat model used for embeddings does not,
     * and llama.cpp would then return the vector of the first token (the same BOS vector for every input), so
     * those get last-token pooling (as decoder-only embedding models use) unless the launch option
     * {@code pooling} says otherwise.
     */
    private static String embeddingPooling(GgufHeader header, LoadOptions options) {
        if (options.pooling() != null) {
            return options.pooling();
        }
        return header.integer(header.architecture() + ".pooling_type").isPresent() ? null : "last";
    }

    private static GgufHeader readHeader(Path file) {
        if (file == null) {
            throw loadFailed("No model file was given (model_path, or the model_uri of a custom registration)");
        }
        if (!Files.isRegularFile(file)) {
            throw loadFailed("The model file " + file + " does not exist or is not a file");
        }
        try {
            return GgufHeader.read(file);
        } catch (GgufFormatException e) {
            throw loadFailed("Not a valid GGUF model: " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw loadFailed("Cannot read the model file " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> describe(Path file, GgufHeader header, LoadOptions options,
            ChatPrompt chatPrompt) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("backend", "jvm");
        description.put("runtime", NativeRuntime.DESCRIPTION);
        description.put("model_file", file.toAbsolutePath().toString());
        description.put("gguf_version", header.version());
        description.put("gguf_architecture", header.architecture());
        Map<String, Integer> tensorTypes = new TreeMap<>();
        header.tensorTypes().forEach((type, count) -> tensorTypes.put(type.name().toLowerCase(), count));
        description.put("tensor_types", tensorTypes);
        description.put("n_ctx", options.contextPerSlot());
        description.put("n_ctx_total", options.totalContext());
        description.put("n_parallel", options.parallelSlots());
        description.put("n_threads", options.threads());
        description.put("embedding", options.embedding());
        description.put("chat_template", chatPrompt.source().name().toLowerCase());
        // the host reads tool calls out of the answers in the format this template teaches the model
        description.put("chat_template_text", chatPrompt.template());
        return description;
    }

    private static EngineException loadFailed(String message) {
        return new EngineException(EngineException.Kind.LOAD_FAILED, message);
    }
}
