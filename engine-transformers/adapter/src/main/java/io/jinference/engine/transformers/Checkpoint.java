package io.jinference.engine.transformers;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.jinference.api.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads a Hugging Face checkpoint folder's config and weights into a {@link DecoderModel}. */
final class Checkpoint {
    private Checkpoint() {
    }

    static DecoderModel loadModel(Path folder, NDManager parent, String requestedDtype) {
        ModelConfig config = ModelConfig.parse(readJson(folder, "config.json", true));
        DataType dtype = dtype(requestedDtype);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder);
        NDManager manager = parent.newSubManager();
        try {
            return new DecoderModel(config, manager, DecoderWeights.load(checkpoint, config, manager, dtype), dtype);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The compute dtype: float32 by default (on CPU the fast and exact choice) or float16. bfloat16 is accepted and
     * runs as float32, because DJL 0.36's libtorch binding cannot create bfloat16 tensors.
     */
    static DataType dtype(String requested) {
        if (requested == null || requested.isBlank() || requested.equals("auto")) {
            return DataType.FLOAT32;
        }
        return switch (requested.toLowerCase(Locale.ROOT).replace("torch.", "")) {
            case "float32", "fp32", "float", "bfloat16", "bf16" -> DataType.FLOAT32;
            case "float16", "fp16", "half" -> DataType.FLOAT16;
            default -> throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                    "torch_dtype must be float32, bfloat16 or float16, got '" + requested + "'");
        };
    }

    /** A JSON object file of the checkpoint; an empty object when optional and absent. */
    static JsonObject readJson(Path folder, String name, boolean required) {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new EngineException(EngineException.Kind.LOAD_FAILED,
                        "Cannot load the checkpoint: " + name + " is missing from " + folder);
            }
            return new JsonObject();
        }
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED,
                    "Cannot load the checkpoint: " + name + " is not a valid JSON object");
        }
    }
}
