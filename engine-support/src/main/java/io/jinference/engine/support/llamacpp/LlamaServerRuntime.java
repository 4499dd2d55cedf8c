package io.jinference.engine.support.llamacpp;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One usable {@code llama-server} binary.
 *
 * @param binary the executable
 * @param build the llama.cpp build number ({@code 11434} for tag {@code b11434}); 0 when unknown
 * @param backend {@code cpu}, {@code cuda}, {@code metal} or {@code vulkan}
 * @param architectures the GGUF {@code general.architecture} values the build can load; empty when unknown (then
 *        any GGUF is tried)
 * @param cmakeFlags the flags it was configured with; empty when unknown
 * @param origin how it was found, for explanations
 */
public record LlamaServerRuntime(Path binary, int build, String backend, List<String> architectures,
        List<String> cmakeFlags, String origin) {

    public LlamaServerRuntime {
        architectures = List.copyOf(architectures);
        cmakeFlags = List.copyOf(cmakeFlags);
    }

    /** Whether the build can load a GGUF of this architecture; true when its list is unknown. */
    public boolean supports(String architecture) {
        return architectures.isEmpty() || architectures.contains(architecture.toLowerCase(Locale.ROOT));
    }

    /** "llama-server b11434 (cpu, 148 architectures) at /…/llama-server, installed by jinf runtimes install" */
    public String describe() {
        String archs = architectures.isEmpty() ? "architecture list unknown: any GGUF is tried"
                : architectures.size() + " GGUF architectures";
        return "llama-server " + (build > 0 ? "b" + build : "(build unknown)") + " (" + backend + ", " + archs
                + ") at " + binary + ", " + origin;
    }

    /**
     * The host device kinds the build drives: always {@code cpu}, plus {@code cuda} for a CUDA build, {@code mps}
     * (Apple's GPU, as the host profile names it) for Metal, and the GPU kinds Vulkan drives (NVIDIA and AMD).
     */
    public List<String> devices() {
        return switch (backend) {
            case "cuda" -> List.of("cpu", "cuda");
            case "metal" -> List.of("cpu", "mps");
            case "vulkan" -> List.of("cpu", "cuda", "rocm");
            default -> List.of("cpu");
        };
    }
}
