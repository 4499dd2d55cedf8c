package io.jinference.engine.support.llamacpp.install;

import java.util.List;
import java.util.Optional;

/** Runs a short probing command (nvidia-smi, nvcc) and gives its output, or nothing when it is absent or fails. */
@FunctionalInterface
interface CommandOutput {
    Optional<String> run(List<String> command);
}
