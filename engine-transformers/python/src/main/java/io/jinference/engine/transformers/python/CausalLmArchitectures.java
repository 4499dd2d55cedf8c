package io.jinference.engine.transformers.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.engine.support.PythonRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What an installed transformers can run: the HF architecture classes of {@code AutoModelForCausalLM}'s mapping
 * ({@code transformers.models.auto.modeling_auto.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES}), and whether its torch was built
 * for CUDA. Asking costs one Python start and the import of transformers' auto classes (seconds), so the answer is kept
 * per interpreter and package versions: a probe after the first is a map lookup. Torch itself is not imported: its
 * CUDA version is read from {@code torch/version.py}.
 */
final class CausalLmArchitectures {
    /** The facts one Python reports. */
    record Found(List<String> architectures, String cudaVersion) {
        Found {
            architectures = List.copyOf(architectures);
        }
    }

    static final String SCRIPT = String.join("\n",
            "import importlib.util, json, os, re",
            "from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES as names",
            "found = set()",
            "for value in names.values():",
            "    found.update([value] if isinstance(value, str) else value)",
            "cuda = None",
            "spec = importlib.util.find_spec('torch')",
            "if spec and spec.submodule_search_locations:",
            "    path = os.path.join(list(spec.submodule_search_locations)[0], 'version.py')",
            "    if os.path.exists(path):",
            "        match = re.search(r\"^cuda\\b[^=]*=\\s*'([^']+)'\", open(path).read(), re.M)",
            "        cuda = match.group(1) if match else None",
            "print(json.dumps({'architectures': sorted(found), 'cuda': cuda}))",
            "");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Found> CACHE = new ConcurrentHashMap<>();

    private CausalLmArchitectures() {
    }

    /**
     * @param versions the installed package versions, part of the cache key (an upgrade in place is seen)
     * @throws IllegalStateException with Python's last output when it cannot answer
     */
    static Found of(PythonRuntime runtime, Map<String, String> versions) {
        String key = runtime.python() + "|" + versions;
        return CACHE.computeIfAbsent(key, ignored -> ask(runtime));
    }

    private static Found ask(PythonRuntime runtime) {
        Path output = null;
        try {
            // Output goes to a file, so that a Python that hangs cannot hold the probe past the timeout.
            output = Files.createTempFile("jinference-transformers-probe", ".txt");
            Process process = new ProcessBuilder(runtime.python().toString(), "-c", SCRIPT)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("importing transformers' AutoModelForCausalLM mapping in "
                        + runtime.python() + " took more than 120 s");
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (process.exitValue() != 0 || !last.startsWith("{")) {
                throw new IllegalStateException("importing transformers' AutoModelForCausalLM mapping in "
                        + runtime.python() + " failed (exit code " + process.exitValue() + "): "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            JsonNode answer = JSON.readTree(last);
            List<String> architectures = new ArrayList<>();
            answer.path("architectures").forEach(name -> architectures.add(name.asText()));
            if (architectures.isEmpty()) {
                throw new IllegalStateException("transformers in " + runtime.python()
                        + " lists no AutoModelForCausalLM architectures");
            }
            JsonNode cuda = answer.path("cuda");
            return new Found(architectures, cuda.isTextual() ? cuda.asText() : null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask " + runtime.python() + " for transformers' architectures: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + runtime.python() + " for transformers'"
                    + " architectures");
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
