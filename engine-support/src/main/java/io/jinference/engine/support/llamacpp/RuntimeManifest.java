package io.jinference.engine.support.llamacpp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code runtime.json}, written beside an installed {@code llama-server} when it is built: what the binary is, so that
 * probing it needs no process start.
 *
 * @param build llama.cpp build number
 * @param backend cpu, cuda, metal or vulkan
 * @param architectures {@code general.architecture} names from the source's {@code LLM_ARCH_NAMES}
 * @param cmakeFlags the configure flags
 * @param source the sdist it was built from, with its sha256
 * @param cudaArchitectures the CUDA compute architectures its kernels were compiled for ({@code 90} for an H100 or
 *        H200); empty for other backends
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeManifest(@JsonProperty("build") int build, @JsonProperty("backend") String backend,
        @JsonProperty("architectures") List<String> architectures,
        @JsonProperty("cmake_flags") List<String> cmakeFlags, @JsonProperty("source") String source,
        @JsonProperty("cuda_architectures") List<String> cudaArchitectures) {

    public static final String FILE_NAME = "runtime.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RuntimeManifest {
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        cmakeFlags = cmakeFlags == null ? List.of() : List.copyOf(cmakeFlags);
        cudaArchitectures = cudaArchitectures == null ? List.of() : List.copyOf(cudaArchitectures);
    }

    /** A manifest whose CUDA architectures are read from its flags ({@code -DCMAKE_CUDA_ARCHITECTURES=86;90}). */
    public RuntimeManifest(int build, String backend, List<String> architectures, List<String> cmakeFlags,
            String source) {
        this(build, backend, architectures, cmakeFlags, source, cudaArchitectures(cmakeFlags));
    }

    private static List<String> cudaArchitectures(List<String> flags) {
        String prefix = "-DCMAKE_CUDA_ARCHITECTURES=";
        return flags == null ? List.of() : flags.stream().filter(flag -> flag.startsWith(prefix))
                .flatMap(flag -> java.util.Arrays.stream(flag.substring(prefix.length()).split(";"))).toList();
    }

    public static RuntimeManifest read(Path file) throws IOException {
        RuntimeManifest manifest = MAPPER.readValue(file.toFile(), RuntimeManifest.class);
        if (manifest.backend() == null || manifest.backend().isBlank()) {
            throw new IOException(file + " names no backend");
        }
        return manifest;
    }

    /** Written to a temporary file first, then moved: a reader never sees half a manifest. */
    public void write(Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        MAPPER.writeValue(temporary.toFile(), this);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
