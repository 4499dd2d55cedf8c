package io.jinference.engine.support.llamacpp.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GGUF architectures a llama.cpp source tree can load: the names of its {@code LLM_ARCH_NAMES} table in
 * {@code src/llama-arch.cpp}, without the placeholder entries ({@code clip}, only used by llama-quantize, and
 * {@code (unknown)}).
 */
final class ArchitectureNames {
    static final String SOURCE_FILE = "src/llama-arch.cpp";
    private static final Pattern TABLE = Pattern.compile("LLM_ARCH_NAMES\\s*=\\s*\\{(.*?)\\n\\};", Pattern.DOTALL);
    private static final Pattern ENTRY = Pattern.compile("\\{\\s*LLM_ARCH_(\\w+)\\s*,\\s*\"([^\"]+)\"\\s*}");

    private ArchitectureNames() {
    }

    static List<String> read(Path sourceTree) throws IOException {
        Path file = sourceTree.resolve(SOURCE_FILE);
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    static List<String> parse(String source, String origin) throws IOException {
        Matcher table = TABLE.matcher(source);
        if (!table.find()) {
            throw new IOException(origin + " has no LLM_ARCH_NAMES table");
        }
        List<String> names = new ArrayList<>();
        Matcher entry = ENTRY.matcher(table.group(1));
        while (entry.find()) {
            String constant = entry.group(1);
            if (!constant.equals("CLIP") && !constant.equals("UNKNOWN")) {
                names.add(entry.group(2));
            }
        }
        if (names.isEmpty()) {
            throw new IOException("The LLM_ARCH_NAMES table of " + origin + " names no architecture");
        }
        return names;
    }
}
