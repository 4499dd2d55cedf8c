package io.jinference.api;

/**
 * Where a spec's files live on one hub.
 *
 * @param modelId hub repository id; may contain {@code {quantization}}
 * @param fileNameTemplate for single-file formats (ggufv2): the file name, with {@code {quantization}}
 * @param revision pinned revision, or null
 */
public record ModelSource(String modelId, String fileNameTemplate, String revision) {
}
