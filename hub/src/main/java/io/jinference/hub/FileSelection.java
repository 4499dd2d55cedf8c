package io.jinference.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a repository a spec needs, and which of them the engine is pointed at:
 * <ul>
 * <li>{@code ggufv2}: the file named by the template with the quantization, or, when the repository splits it, every
 * part {@code {stem}-00001-of-0000N.gguf} (the engine loads the first, llama.cpp finds the others);</li>
 * <li>{@code pytorch}, {@code awq}, {@code gptq}, {@code fp8}, {@code bnb}: config, generation config, tokenizer files
 * and the weights (safetensors shards from the index, a single safetensors file, or the PyTorch {@code .bin} ones
 * when there is no safetensors); the engine gets the snapshot folder;</li>
 * <li>{@code mlx} and anything else: the whole repository.</li>
 * </ul>
 */
final class FileSelection {
    static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    static final String BIN_INDEX = "pytorch_model.bin.index.json";
    private static final Set<String> CHECKPOINT_FORMATS = Set.of("pytorch", "awq", "gptq", "fp8", "bnb");
    private static final Set<String> SIDE_FILES = Set.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "tokenizer.model", "special_tokens_map.json", "vocab.json", "merges.txt",
            "added_tokens.json", "chat_template.jinja", "chat_template.json", "quantize_config.json",
            "quant_config.json", "preprocessor_config.json");
    private static final Pattern SPLIT_PART = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf",
            Pattern.CASE_INSENSITIVE);

    private FileSelection() {
    }

    /**
     * The selection for a spec; for checkpoints with a shard index, {@link #withIndex} completes it once the index is
     * read.
     *
     * @param primary the file the engine loads, or null for the snapshot folder
     * @param index a shard index whose shards are still to be added, or null
     */
    record Selection(List<RepoFile> files, String primary, String index) {
        Selection {
            files = List.copyOf(files);
        }
    }

    static boolean isGguf(String format) {
        return format.toLowerCase(Locale.ROOT).startsWith("gguf");
    }

    static Selection select(RepoRevision repo, String format, String fileNameTemplate, String quantization) {
        String lower = format.toLowerCase(Locale.ROOT);
        if (isGguf(lower)) {
            return gguf(repo, fileNameTemplate, quantization);
        }
        if (CHECKPOINT_FORMATS.contains(lower)) {
            return checkpoint(repo);
        }
        return new Selection(repo.files(), null, null);
    }

    private static Selection gguf(RepoRevision repo, String template, String quantization) {
        if (template == null) {
            throw new HubException("The ggufv2 spec of " + repo.repoId() + " names no file name template");
        }
        String wanted = template.replace("{quantization}", quantization);
        for (RepoFile file : repo.files()) {
            if (file.path().equalsIgnoreCase(wanted)) {
                return new Selection(List.of(file), file.path(), null);
            }
        }
        String stem = wanted.toLowerCase(Locale.ROOT).endsWith(".gguf")
                ? wanted.substring(0, wanted.length() - ".gguf".length()) : wanted;
        List<RepoFile> parts = new ArrayList<>();
        int declared = -1;
        for (RepoFile file : repo.files()) {
            Matcher part = SPLIT_PART.matcher(file.path());
            if (part.matches() && part.group(1).equalsIgnoreCase(stem)) {
                parts.add(file);
                declared = Integer.parseInt(part.group(3));
            }
        }
        if (!parts.isEmpty()) {
            parts.sort(Comparator.comparing(RepoFile::path));
            if (parts.size() != declared) {
                throw new HubException("Repository " + repo.repoId() + " has " + parts.size() + " of the " + declared
                        + " parts of " + wanted);
            }
            return new Selection(parts, parts.get(0).path(), null);
        }
        List<String> ggufs = repo.files().stream().map(RepoFile::path)
                .filter(path -> path.toLowerCase(Locale.ROOT).endsWith(".gguf")).toList();
        throw new HubException("Repository " + repo.repoId() + " at commit " + repo.commit() + " has no file "
                + wanted + " (quantization " + quantization + ") nor its split parts; its GGUF files: " + ggufs);
    }

    private static Selection checkpoint(RepoRevision repo) {
        if (repo.file("config.json").isEmpty()) {
            throw new HubException("Repository " + repo.repoId() + " at commit " + repo.commit()
                    + " has no config.json, so it is not a transformers checkpoint");
        }
        List<RepoFile> files = new ArrayList<>(repo.files().stream()
                .filter(file -> SIDE_FILES.contains(file.path())).toList());
        for (String index : List.of(SAFETENSORS_INDEX, BIN_INDEX)) {
            if (repo.file(index).isPresent()) {
                files.add(repo.file(index).get());
                return new Selection(files, null, index);
            }
        }
        List<RepoFile> safetensors = repo.files().stream().filter(file -> !file.path().contains("/")
                && file.path().endsWith(".safetensors")).toList();
        List<RepoFile> weights = !safetensors.isEmpty() ? safetensors : repo.files().stream()
                .filter(file -> !file.path().contains("/") && file.path().endsWith(".bin")).toList();
        if (weights.isEmpty()) {
            throw new HubException("Repository " + repo.repoId() + " at commit " + repo.commit()
                    + " has no weights (*.safetensors or *.bin)");
        }
        files.addAll(weights);
        return new Selection(files, null, null);
    }

    /** Adds the shards a {@code weight_map} names to a selection that waits for its index. */
    static Selection withIndex(Selection selection, RepoRevision repo, Set<String> shardNames) {
        List<RepoFile> files = new ArrayList<>(selection.files());
        for (String shard : new TreeSet<>(shardNames)) {
            RepoFile file = repo.file(shard).orElseThrow(() -> new HubException("Repository " + repo.repoId()
                    + " lists shard " + shard + " in its index, but has no such file"));
            files.add(file);
        }
        return new Selection(files, selection.primary(), null);
    }
}
