package io.jinference.examples.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import java.io.IOException;

/** Sentence-embedding models (BERT-style ONNX graphs such as all-MiniLM-L6-v2) on ONNX Runtime, CPU only. */
public final class OnnxEngine implements InferenceEngine {

    public static final String NAME = "onnx";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        try {
            return ProbeResult.available("ONNX Runtime " + environment().getVersion());
        } catch (LinkageError e) {
            return ProbeResult.missing("ONNX Runtime's native library does not load on this host: " + e.getMessage());
        }
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        ModelFiles files = ModelFiles.locate(request.modelPath());
        WordPieceTokenizer tokenizer;
        try {
            tokenizer = WordPieceTokenizer.read(files.tokenizer());
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Cannot read the tokenizer "
                    + files.tokenizer() + ": " + e.getMessage(), e);
        }
        OrtEnvironment environment = environment();
        try {
            OrtSession session = BigStack.call("onnxruntime-load", () -> {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    return environment.createSession(files.onnx().toString(), options);
                }
            });
            return new OnnxEmbeddingModel(environment, session, tokenizer);
        } catch (OrtException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "ONNX Runtime cannot load " + files.onnx()
                    + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "Loading " + files.onnx() + " failed: " + e, e);
        }
    }

    /** The runtime's environment, created (natives loaded) on a thread with room for their initialisers. */
    private static OrtEnvironment environment() {
        try {
            return BigStack.call("onnxruntime-init", OrtEnvironment::getEnvironment);
        } catch (Exception e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "ONNX Runtime did not start: " + e, e);
        }
    }
}
