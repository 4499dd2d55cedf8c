package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.launcher.DecisionJson;
import io.jinference.launcher.Distribution;
import io.jinference.launcher.EngineWorld;
import io.jinference.launcher.JinferenceHome;
import io.jinference.registry.SelectionRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "engines",
        description = "Show, per engine, what it can run of a model or why not, and the engine Jinference chooses. "
                + "Asks a running server, or decides in-process when none answers.")
public final class EnginesCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(index = "0", description = "Model family name")
    String model;
    @Mixin
    SpecOptions wanted;
    @Option(names = "--host-profile", description = "Preset (linux-x86_64-cuda, macos-arm64, …), JSON or JSON file")
    String hostProfile;
    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:9997", description = "Server to ask first")
    String endpoint;
    @Option(names = "--api-key", defaultValue = "${env:JINFERENCE_API_KEY}",
            description = "API key of a server started with --api-key-file (default: $JINFERENCE_API_KEY)")
    String apiKey;
    @Option(names = "--home", description = "Jinference home for the in-process answer")
    Path home;
    @Option(names = "--json", description = "Print the decision as JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode decision;
        try {
            decision = remote();
        } catch (RestClient.ApiCallException e) {
            spec.commandLine().getErr().println("Error " + e.status() + ": " + e.getMessage());
            return 1;
        } catch (RestClient.ServerUnreachableException e) {
            try {
                decision = inProcess();
            } catch (IllegalArgumentException notFound) {
                spec.commandLine().getErr().println("Error: " + notFound.getMessage());
                return 1;
            }
        }
        if (json) {
            out.println(decision.toPrettyString());
        } else {
            DecisionPrinter.print(decision, out);
        }
        return 0;
    }

    /** The server reads no files for a caller: a profile file given here is read here and sent as JSON. */
    private String inlineProfile() {
        if (hostProfile == null || hostProfile.isBlank() || hostProfile.trim().startsWith("{")) {
            return hostProfile;
        }
        Path file = Path.of(hostProfile.trim());
        if (!java.nio.file.Files.isRegularFile(file)) {
            return hostProfile;
        }
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read host profile file " + file, e);
        }
    }

    private JsonNode remote() throws RestClient.ServerUnreachableException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("model_format", wanted.format);
        query.put("model_size_in_billions", wanted.size);
        query.put("quantization", wanted.quantization);
        query.put("model_engine", wanted.engine);
        query.put("backend", wanted.backend);
        query.put("host_profile", inlineProfile());
        return new RestClient(endpoint, apiKey).get("/v1/engines/" + RestClient.segment(model) + "/explain"
                + RestClient.query(query));
    }

    /** No server runs: start Felix with the distribution's engines (no REST), decide, stop. */
    private JsonNode inProcess() {
        Path resolvedHome = JinferenceHome.resolve(home);
        Distribution distribution = Distribution.locate();
        Path storage;
        try {
            storage = Files.createTempDirectory("jinference-felix");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (EngineWorld world = EngineWorld.start(resolvedHome, storage, distribution.bundleFolders(resolvedHome))) {
            SelectionRequest request = new SelectionRequest(model, wanted.format, wanted.size, wanted.quantization,
                    wanted.engine, null, wanted.backend);
            return MAPPER.valueToTree(DecisionJson.explain(
                    world.selector().decide(request, EngineWorld.host(hostProfile))));
        } finally {
            deleteTree(storage);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
