package io.jinference.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The order in which engines are preferred when the user names none: a ranked list of steps, each an engine and the
 * formats it is preferred for. Pairs no step names come after every step, ordered by the engines' capability priority.
 *
 * <p>Written as {@code vLLM:pytorch,gptq,awq,fp8 > SGLang:pytorch,gptq,awq,fp8 > MLX:mlx > llama.cpp:ggufv2 >
 * Transformers:pytorch,gptq,awq,fp8} (the default): vLLM then SGLang for GPU-class formats, MLX for mlx, llama.cpp for
 * GGUF, Transformers as the pytorch fallback. Per format this reads "pytorch → vLLM, SGLang, Transformers".
 */
public final class SelectionPolicy {
    private static final String DEFAULT = "vLLM:pytorch,gptq,awq,fp8 > SGLang:pytorch,gptq,awq,fp8 > MLX:mlx"
            + " > llama.cpp:ggufv2 > Transformers:pytorch,gptq,awq,fp8";

    /** One preference: this engine, for these formats. */
    public record Step(String engine, List<String> formats) {
        public Step {
            formats = List.copyOf(formats);
        }

        boolean covers(String engineName, String format) {
            return engine.equalsIgnoreCase(engineName) && formats.stream().anyMatch(f -> f.equalsIgnoreCase(format));
        }
    }

    private final List<Step> steps;

    private SelectionPolicy(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public static SelectionPolicy defaults() {
        return parse(DEFAULT);
    }

    /**
     * Parses {@code engine:format,format > engine:format …}.
     *
     * @throws IllegalArgumentException with the offending step when the text is malformed
     */
    public static SelectionPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Selection policy is empty; expected e.g. '" + DEFAULT + "'");
        }
        List<Step> steps = new ArrayList<>();
        for (String part : text.split(">")) {
            String[] engineAndFormats = part.split(":");
            List<String> formats = engineAndFormats.length == 2 ? List.of(engineAndFormats[1].split(",")).stream()
                    .map(String::trim).filter(f -> !f.isEmpty()).map(f -> f.toLowerCase(Locale.ROOT)).toList() : List.of();
            if (engineAndFormats.length != 2 || engineAndFormats[0].isBlank() || formats.isEmpty()) {
                throw new IllegalArgumentException("Selection policy step '" + part.trim()
                        + "' is not 'engine:format,format' (policy: '" + text + "')");
            }
            steps.add(new Step(engineAndFormats[0].trim(), formats));
        }
        return new SelectionPolicy(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    /** The position of the first step preferring this engine for this format; {@code steps().size()} when none does. */
    public int rank(String engine, String format) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).covers(engine, format)) {
                return i;
            }
        }
        return steps.size();
    }

    /** "pytorch → vLLM, SGLang, Transformers" */
    public String describeFor(String format) {
        String engines = steps.stream().filter(step -> step.formats().contains(format.toLowerCase(Locale.ROOT)))
                .map(Step::engine).collect(Collectors.joining(", "));
        return format + " → " + (engines.isEmpty() ? "(no preference: by capability priority)" : engines);
    }

    @Override
    public String toString() {
        return steps.stream().map(step -> step.engine() + ":" + String.join(",", step.formats()))
                .collect(Collectors.joining(" > "));
    }
}
