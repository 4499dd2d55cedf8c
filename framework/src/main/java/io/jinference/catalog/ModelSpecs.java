package io.jinference.catalog;

import io.jinference.api.ModelSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Xinference's spec-matching rules, shared by the catalog and the selector. A null criterion means "any". */
public final class ModelSpecs {
    /** Formats a spec may have (Xinference's LLM formats). */
    public static final List<String> KNOWN_FORMATS = List.of("pytorch", "gptq", "awq", "fp4", "fp8", "bnb", "ggufv2", "mlx", "onnx");

    private ModelSpecs() {
    }

    public static boolean formatMatches(ModelSpec spec, String format) {
        return format == null || spec.format().equalsIgnoreCase(format.trim());
    }

    public static boolean sizeMatches(ModelSpec spec, String size) {
        return size == null || ModelSizes.matches(spec.sizeInBillions(), size);
    }

    /** The requested quantization in the spec's own spelling (compared case-insensitively), or its default when none is requested. */
    public static Optional<String> quantization(ModelSpec spec, String requested) {
        return quantization(spec.quantizations(), requested);
    }

    /** {@link #quantization(ModelSpec, String)} over any list of quantizations. */
    public static Optional<String> quantization(List<String> offered, String requested) {
        if (requested == null) {
            return defaultQuantization(offered);
        }
        String wanted = requested.trim().toLowerCase(Locale.ROOT);
        return offered.stream().filter(quant -> quant.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /** {@code none} when offered (the unquantized weights), otherwise the first quantization listed. */
    public static Optional<String> defaultQuantization(List<String> offered) {
        return offered.stream().filter("none"::equalsIgnoreCase).findFirst().or(() -> offered.stream().findFirst());
    }

    /** "pytorch 7B none": how explanations name a spec. */
    public static String describe(ModelSpec spec, String quantization) {
        return spec.format() + " " + spec.sizeInBillions().replace('_', '.') + "B" + (quantization == null ? "" : " " + quantization);
    }
}
