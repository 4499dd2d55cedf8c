package io.jinference.tck;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Loading works, broken or missing files fail as LOAD_FAILED, and a model closes twice without harm. */
final class LifecycleChecks {

    private static final byte[] GARBAGE = "this is not a model file\n".repeat(64).getBytes(StandardCharsets.UTF_8);

    private LifecycleChecks() {
    }

    static List<Check> loading(ModelUnderTest model, InferenceEngine engine, EngineContext context) {
        return List.of(
                new Check("load returns a running model that describes itself", () -> {
                    Expect.isTrue(model.get().describe() != null, "RunningModel.describe() returned null");
                }),
                new Check("a corrupt model file fails as LOAD_FAILED", () -> {
                    LoadRequest corrupt = withPath(model.request(), corruptCopy(model.request().modelPath()));
                    Expect.engineException(EngineException.Kind.LOAD_FAILED, "Loading a corrupt model",
                            () -> engine.load(corrupt, context).close());
                }),
                new Check("a missing model file fails as LOAD_FAILED", () -> {
                    Path missing = Files.createTempDirectory("jinference-tck-missing")
                            .resolve(model.request().modelPath().getFileName());
                    Expect.engineException(EngineException.Kind.LOAD_FAILED, "Loading a missing model",
                            () -> engine.load(withPath(model.request(), missing), context).close());
                }));
    }

    static Check closing(ModelUnderTest model) {
        return new Check("close is safe to call twice", model::closeTwice);
    }

    private static LoadRequest withPath(LoadRequest request, Path path) {
        return new LoadRequest(request.modelUid(), request.family(), request.spec(), request.quantization(), path,
                request.options(), request.gpuIndexes());
    }

    /** The same file name (or folder of file names) as the real model, filled with text instead of weights. */
    private static Path corruptCopy(Path modelPath) throws IOException {
        Path target = Files.createTempDirectory("jinference-tck-corrupt").resolve(modelPath.getFileName());
        if (!Files.isDirectory(modelPath)) {
            return Files.write(target, GARBAGE);
        }
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(modelPath)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.write(target.resolve(file.getFileName()), GARBAGE);
            }
        }
        return target;
    }
}
