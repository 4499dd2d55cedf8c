package io.jinference.api;

/**
 * The {@code io.jinference.engine} capability namespace: how an engine bundle declares, in its manifest, what it
 * can run. The registry reads these attributes without starting the bundle and matches them with OSGi filters.
 * See {@code docs/engine-capabilities.md} for a complete header.
 */
public final class EngineNamespace {
    /** The capability namespace. */
    public static final String NAMESPACE = "io.jinference.engine";

    /** Engine name as users spell it ({@code llama.cpp}, {@code vLLM}); String, required. */
    public static final String ENGINE = "engine";
    /** Engine version; {@code Version}, required. */
    public static final String VERSION = "version";
    /** Model formats; {@code List<String>}, required. */
    public static final String FORMATS = "formats";
    /**
     * Prefix of the per-format quantization lists, e.g. {@code quantizations.gptq:List<String>="Int3,Int4,Int8"}.
     * A format without such an attribute accepts any quantization.
     */
    public static final String QUANTIZATIONS_PREFIX = "quantizations.";
    /** Operating systems: linux, macos, windows; {@code List<String>}, required. */
    public static final String OS = "os";
    /** CPU architectures: x86_64, aarch64; {@code List<String>}, required. */
    public static final String ARCH = "arch";
    /** Device kinds the engine runs on: cpu, cuda, rocm, mps; {@code List<String>}, required. */
    public static final String DEVICES = "devices";
    /** Abilities: generate, chat, embed, vision, …; {@code List<String>}, required. */
    public static final String ABILITIES = "abilities";
    /**
     * Ability: the engine calls tools ({@code tools} with {@code tool_choice} auto) and answers {@code tool_calls}.
     * A forced tool choice needs {@link #ABILITY_STRUCTURED_OUTPUT} only: the host constrains the answer to the
     * calls' JSON Schema.
     *
     * @since 1.2
     */
    public static final String ABILITY_TOOLS = "tools";
    /**
     * Ability: the engine constrains its answer to JSON ({@code response_format} json_object and json_schema).
     *
     * @since 1.2
     */
    public static final String ABILITY_STRUCTURED_OUTPUT = "structured_output";
    /**
     * Ability: the engine reports the log probabilities of generated tokens ({@code logprobs}, {@code top_logprobs}).
     *
     * @since 1.2
     */
    public static final String ABILITY_LOGPROBS = "logprobs";
    /**
     * Ability: completions with {@code echo} (the prompt repeated before the completion).
     *
     * @since 1.2
     */
    public static final String ABILITY_ECHO = "echo";
    /** Supported model family names; {@code List<String>}. Absent together with the next two: any model. */
    public static final String FAMILIES = "families";
    /** Supported HF architecture classes; {@code List<String>}. */
    public static final String ARCHITECTURES = "architectures";
    /**
     * A bundle resource listing more supported models, one per line: a family name, or an HF architecture
     * (a name ending in {@code ForCausalLM}, {@code LMHeadModel}, {@code ForConditionalGeneration}, …). Lines
     * starting with {@code #} are comments.
     */
    public static final String MODELS_RESOURCE = "models.resource";
    /**
     * The command that installs a runtime with which this engine drives a GPU, {@code {kind}} standing for the host's
     * GPU kind (cuda, metal, vulkan): said when the engine is chosen on a GPU host but its installed runtime drives the
     * CPU only; {@code String}, optional.
     */
    public static final String GPU_INSTALL = "gpu.install";
    /** Tie-breaker when the selection policy does not order two engines: higher wins; {@code Long}. */
    public static final String PRIORITY = "priority";

    /** Service property carrying the engine name on every {@link InferenceEngine} service. */
    public static final String SERVICE_ENGINE = "engine";

    private EngineNamespace() {
    }
}
