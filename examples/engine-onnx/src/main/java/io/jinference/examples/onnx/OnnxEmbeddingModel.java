package io.jinference.examples.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.EngineException;
import io.jinference.api.RunningModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded sentence-embedding model. Like sentence-transformers it averages the last hidden state over the real
 * (unpadded) tokens and scales the result to unit length, so a dot product of two vectors is their cosine.
 */
final class OnnxEmbeddingModel implements RunningModel {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WordPieceTokenizer tokenizer;
    private final boolean takesTokenTypes;
    /** Requests share the session; closing waits for them and then refuses new ones. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    OnnxEmbeddingModel(OrtEnvironment environment, OrtSession session, WordPieceTokenizer tokenizer) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        if (request.inputs().isEmpty()) {
            return new Embeddings(List.of(), 0);
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE, "The model has been stopped");
            }
            return embed(new Batch(request.inputs().stream().map(tokenizer::encode).toList()));
        } catch (OrtException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Embeddings embed(Batch batch) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, batch.ids()));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, batch.mask()));
            if (takesTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, batch.tokenTypes()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> vectors = new ArrayList<>();
                for (int row = 0; row < hidden.length; row++) {
                    vectors.add(normalized(meanOverTokens(hidden[row], batch.mask()[row])));
                }
                return new Embeddings(vectors, batch.tokenCount());
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanOverTokens(float[][] hidden, long[] mask) {
        float[] sum = new float[hidden[0].length];
        int tokens = 0;
        for (int t = 0; t < hidden.length; t++) {
            if (mask[t] == 1) {
                tokens++;
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += hidden[t][d];
                }
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= tokens;
        }
        return sum;
    }

    private static float[] normalized(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) (vector[d] * scale);
        }
        return vector;
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("engine", OnnxEngine.NAME, "inputs", List.copyOf(session.getInputNames()));
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                session.close();
            }
        } catch (OrtException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "Closing the ONNX session failed: "
                    + e.getMessage(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Token ids of several texts, right-padded to the longest, with the mask that tells padding from tokens. */
    private record Batch(List<long[]> encoded) {
        long[][] ids() {
            long[][] ids = new long[encoded.size()][width()];
            for (int row = 0; row < ids.length; row++) {
                System.arraycopy(encoded.get(row), 0, ids[row], 0, encoded.get(row).length);
            }
            return ids;
        }

        long[][] mask() {
            long[][] mask = new long[encoded.size()][width()];
            for (int row = 0; row < mask.length; row++) {
                java.util.Arrays.fill(mask[row], 0, encoded.get(row).length, 1L);
            }
            return mask;
        }

        long[][] tokenTypes() {
            return new long[encoded.size()][width()];
        }

        int tokenCount() {
            return encoded.stream().mapToInt(ids -> ids.length).sum();
        }

        private int width() {
            return encoded.stream().mapToInt(ids -> ids.length).max().orElse(0);
        }
    }
}
