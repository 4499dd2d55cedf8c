package io.jinference.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ModelFamily;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custom families on disk, one {@code {name}.json} per family under {@code $home/model/v2/llm}. Writes go to a temp file
 * that is atomically renamed over the target, so a crash never leaves a half-written registration behind.
 */
final class RegistrationStore {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationStore.class);

    private final Path folder;

    RegistrationStore(Path home) {
        this.folder = home.resolve("model").resolve("v2").resolve("llm");
    }

    /** Every readable family; unreadable files are logged, skipped and described in {@code problems}. */
    List<ModelFamily> loadAll(List<String> problems) {
        List<ModelFamily> families = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return families;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                try {
                    families.add(read(file));
                } catch (IOException | RuntimeException e) {
                    String problem = "Skipped custom model file " + file + ": " + e.getMessage();
                    LOG.warn(problem);
                    problems.add(problem);
                }
            }
        } catch (IOException e) {
            String problem = "Could not list custom models in " + folder + ": " + e.getMessage();
            LOG.warn(problem);
            problems.add(problem);
        }
        return families;
    }

    /** Reads our own format, or Xinference's flat registration JSON (recognised by its {@code model_name} key). */
    private static ModelFamily read(Path file) throws IOException {
        JsonNode node = CatalogJson.MAPPER.readTree(file.toFile());
        if (node == null || !node.isObject()) {
            throw new CatalogException("not a JSON object");
        }
        ModelFamily family = node.has("model_name") ? XinferenceFamilyJson.parse(node) : CatalogJson.readFamily(node, false);
        String expected = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!family.name().equals(expected)) {
            throw new CatalogException("file holds family '" + family.name() + "', expected '" + expected + "'");
        }
        return family;
    }

    void save(ModelFamily family) {
        try {
            Files.createDirectories(folder);
            Path target = fileOf(family.name());
            Path temp = Files.createTempFile(folder, "." + family.name(), ".tmp");
            try {
                CatalogJson.MAPPER.writeValue(temp.toFile(), CatalogJson.toMap(family));
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not persist model " + family.name() + " under " + folder, e);
        }
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(fileOf(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete model " + name + " from " + folder, e);
        }
    }

    Path fileOf(String name) {
        return folder.resolve(name + ".json");
    }
}
