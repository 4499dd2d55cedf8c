package io.jinference.host;

/**
 * One GPU as it is now: what {@code nvidia-smi} says of its memory at the moment of asking.
 *
 * @param index the driver's index (what {@code CUDA_VISIBLE_DEVICES} takes)
 * @param kind cuda, rocm
 * @param name product name, e.g. "NVIDIA H200"
 * @param memoryTotalBytes total device memory
 * @param memoryFreeBytes device memory free now
 * @param computeCapability e.g. "9.0"; null when unknown
 * @param measured true when read from the device now; false for a given host profile, whose memory is all assumed free
 */
public record GpuStatus(int index, String kind, String name, long memoryTotalBytes, long memoryFreeBytes,
        String computeCapability, boolean measured) {

    public long memoryUsedBytes() {
        return Math.max(0, memoryTotalBytes - memoryFreeBytes);
    }
}
