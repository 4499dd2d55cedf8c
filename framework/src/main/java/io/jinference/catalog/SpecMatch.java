package io.jinference.catalog;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;

/**
 * The spec a (name, format, size, quantization) request resolves to.
 *
 * @param quantization in the spec's own spelling
 */
public record SpecMatch(ModelFamily family, ModelSpec spec, String quantization) {
}
