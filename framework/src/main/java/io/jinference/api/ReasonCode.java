package io.jinference.api;

/** Why an engine cannot run a model spec on a host; every "no" the registry gives carries one of these. */
public enum ReasonCode {
    /** The engine bundle is installed but not started, so its runtime could not be probed. */
    ENGINE_NOT_ACTIVE,
    OS_UNSUPPORTED,
    ARCH_UNSUPPORTED,
    /** The host lacks every device kind the engine can use (e.g. no CUDA GPU). */
    DEVICE_MISSING,
    FORMAT_UNSUPPORTED,
    QUANTIZATION_UNSUPPORTED,
    /** Neither the model family nor its HF architectures are in the engine's supported list. */
    MODEL_UNSUPPORTED,
    ABILITY_UNSUPPORTED,
    /** The engine's native library or external runtime (e.g. a Python with vllm) is not usable here. */
    RUNTIME_MISSING
}
