package io.jinference.api;

/**
 * One accelerator of a host.
 *
 * @param index index as the driver numbers it (what {@code CUDA_VISIBLE_DEVICES} takes)
 * @param kind device kind: {@code cuda}, {@code rocm}, {@code mps}
 * @param name product name, e.g. "NVIDIA A100-SXM4-80GB"
 * @param memoryBytes total device memory
 * @param computeCapability e.g. "8.0"; null when not applicable
 */
public record GpuDevice(int index, String kind, String name, long memoryBytes, String computeCapability) {
}
