package io.jinference.api;

import java.util.List;
import java.util.Map;

/**
 * One downloadable shape of a model family: a format at one size, offered in some quantizations.
 *
 * @param format {@code pytorch}, {@code ggufv2}, {@code gptq}, {@code awq}, {@code fp8}, {@code mlx}, …
 * @param sizeInBillions size as Xinference writes it: {@code "0_5"}, {@code "7"}, {@code "1_8"}
 * @param quantizations in the spec's own spelling ({@code none}, {@code Int4}, {@code q4_k_m}, …)
 * @param sources by hub name ({@code huggingface}, {@code modelscope}); may be empty for a local model
 * @param modelUri a local {@code file:///} location (custom registrations), or null
 */
public record ModelSpec(String format, String sizeInBillions, List<String> quantizations,
        Map<String, ModelSource> sources, String modelUri) {

    public ModelSpec {
        quantizations = List.copyOf(quantizations);
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }
}
