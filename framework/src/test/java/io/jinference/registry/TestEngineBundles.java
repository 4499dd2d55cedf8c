package io.jinference.registry;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Engine bundles built by the tests with bnd, declaring capabilities like the real engines': vLLM per the seed rule
 * (pytorch needs quantization none, awq Int4, gptq Int3/Int4/Int8, Linux on x86_64, a CUDA device, a model of the seed
 * list), SGLang, llama.cpp, Transformers and MLX.
 */
final class TestEngineBundles {
    static final String VLLM = "io.jinference.engine;engine=vLLM;version:Version=0.11.0"
            + ";formats:List<String>=\"pytorch,gptq,awq,fp8,fp4\""
            + ";quantizations.pytorch:List<String>=none"
            + ";quantizations.awq:List<String>=Int4"
            + ";quantizations.gptq:List<String>=\"Int3,Int4,Int8\""
            + ";os:List<String>=linux;arch:List<String>=x86_64;devices:List<String>=cuda"
            + ";abilities:List<String>=\"generate,chat\""
            + ";models.resource=io/jinference/engine/vllm/models.txt;priority:Long=100";
    static final String SGLANG = "io.jinference.engine;engine=SGLang;version:Version=0.5.0"
            + ";formats:List<String>=\"pytorch,gptq,awq,fp8\";quantizations.pytorch:List<String>=none"
            + ";os:List<String>=linux;arch:List<String>=x86_64;devices:List<String>=cuda"
            + ";abilities:List<String>=\"generate,chat\""
            + ";architectures:List<String>=\"Qwen3ForCausalLM,Qwen2ForCausalLM,LlamaForCausalLM\";priority:Long=90";
    static final String LLAMA_CPP = "io.jinference.engine;engine=llama.cpp;version:Version=%s"
            + ";formats:List<String>=ggufv2;os:List<String>=\"linux,macos,windows\";arch:List<String>=\"x86_64,aarch64\""
            + ";devices:List<String>=\"cpu,cuda,mps\";abilities:List<String>=\"generate,chat,embed\";priority:Long=50";
    static final String TRANSFORMERS = "io.jinference.engine;engine=Transformers;version:Version=0.36.0"
            + ";formats:List<String>=\"pytorch,gptq,awq,fp4\";os:List<String>=\"linux,macos,windows\""
            + ";arch:List<String>=\"x86_64,aarch64\";devices:List<String>=\"cpu,cuda,mps\""
            + ";abilities:List<String>=\"generate,chat,embed\";priority:Long=10";
    /** Written without list types on purpose: authors forget them, and single values must still match. */
    static final String MLX = "io.jinference.engine;engine=MLX;version:Version=0.26.0;formats=mlx;os=macos;arch=aarch64"
            + ";devices=mps;abilities:List<String>=\"generate,chat\";priority:Long=60";

    private final Path folder;

    TestEngineBundles(Path folder) {
        this.folder = folder;
    }

    /** A bundle with only a capability (and the vLLM models list when it names it). */
    File capabilityOnly(String symbolicName, String version, String capability) throws Exception {
        return build(symbolicName, version, capability, Map.of());
    }

    /** A bundle whose activator registers a stand-in engine service answering probes as {@code standIn} says. */
    File withStandInService(String symbolicName, String version, String capability, Map<String, String> standIn) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(standIn);
        headers.put("Bundle-Activator", "io.jinference.registry.standin.StandInEngineActivator");
        headers.put("Private-Package", "io.jinference.registry.standin");
        return build(symbolicName, version, capability, headers);
    }

    private File build(String symbolicName, String version, String capability, Map<String, String> headers) throws Exception {
        File jar = folder.resolve(symbolicName + "-" + version + ".jar").toFile();
        try (Builder builder = new Builder()) {
            builder.setProperty("Bundle-SymbolicName", symbolicName);
            builder.setProperty("Bundle-Version", version);
            builder.setProperty("Provide-Capability", capability);
            builder.addClasspath(new File("target/test-classes"));
            builder.addClasspath(new File("target/classes"));
            headers.forEach(builder::setProperty);
            if (capability.contains("models.resource")) {
                builder.setProperty("-includeresource", "io/jinference/engine/vllm/models.txt=" + vllmModelsList());
            } else if (!headers.containsKey("Private-Package")) {
                builder.setProperty("-resourceonly", "true");
            }
            Jar built = builder.build();
            if (!builder.isOk()) {
                throw new IllegalStateException("bnd could not build " + symbolicName + ": " + builder.getErrors());
            }
            built.write(jar);
        }
        return jar;
    }

    /** The seed list of families vLLM supports, plus one architecture so custom Qwen2 families qualify by inheritance. */
    private Path vllmModelsList() throws IOException {
        Path list = folder.resolve("vllm-models.txt");
        if (!Files.exists(list)) {
            try (InputStream seeds = TestEngineBundles.class.getResourceAsStream("/io/jinference/catalog/seed-vllm-models.txt")) {
                Files.writeString(list, "# families from the seed rule\n"
                        + new String(seeds.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        + "# architectures\nQwen2ForCausalLM\n");
            }
        }
        return list;
    }
}
