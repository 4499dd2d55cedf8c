package io.jinference.examples.onnx;

import io.jinference.api.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two files an embedding model needs: the ONNX graph and its tokenizer.json. The model path is either a folder
 * holding one {@code .onnx} file and a {@code tokenizer.json} (or {@code <name>-tokenizer.json}), or the
 * {@code .onnx} file itself with the tokenizer beside it.
 */
record ModelFiles(Path onnx, Path tokenizer) {

    static ModelFiles locate(Path modelPath) {
        if (modelPath == null || !Files.exists(modelPath)) {
            throw failed("The model path " + modelPath + " does not exist");
        }
        Path onnx = Files.isDirectory(modelPath) ? onlyOnnxFile(modelPath) : modelPath;
        Path folder = onnx.toAbsolutePath().getParent();
        String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        return Stream.of(folder.resolve("tokenizer.json"), folder.resolve(stem + "-tokenizer.json"))
                .filter(Files::isRegularFile)
                .findFirst()
                .map(tokenizer -> new ModelFiles(onnx, tokenizer))
                .orElseThrow(() -> failed("No tokenizer.json or " + stem + "-tokenizer.json next to " + onnx));
    }

    private static Path onlyOnnxFile(Path folder) {
        List<Path> candidates;
        try (Stream<Path> files = Files.list(folder)) {
            candidates = files.filter(file -> file.getFileName().toString().endsWith(".onnx")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (candidates.size() != 1) {
            throw failed("The model folder " + folder + " must hold exactly one .onnx file, found " + candidates.size());
        }
        return candidates.get(0);
    }

    private static EngineException failed(String message) {
        return new EngineException(EngineException.Kind.LOAD_FAILED, message);
    }
}
