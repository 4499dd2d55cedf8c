package io.jinference.hotplug.itest;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** all-MiniLM-L6-v2 from the langchain4j test dependency, written as a model folder the ONNX engine loads. */
final class MiniLmFiles {

    private static final Map<String, String> FILES = Map.of("all-minilm-l6-v2.onnx", "model.onnx",
            "all-minilm-l6-v2-tokenizer.json", "tokenizer.json");

    private MiniLmFiles() {
    }

    static Path writeTo(Path folder) throws Exception {
        Files.createDirectories(folder);
        for (var file : FILES.entrySet()) {
            try (InputStream in = MiniLmFiles.class.getClassLoader().getResourceAsStream(file.getKey())) {
                Files.copy(in, folder.resolve(file.getValue()));
            }
        }
        return folder;
    }
}
