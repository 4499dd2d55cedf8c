package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jinf bundles list|install|update|remove}: engine bundles of a running server. */
@Command(name = "bundles", description = "List, install, update and remove engine bundles of a running server.",
        subcommands = {BundlesCommand.ListBundles.class, BundlesCommand.Install.class, BundlesCommand.Update.class,
                BundlesCommand.Remove.class})
public final class BundlesCommand {

    private static final String ROUTE = "/v1/engine-bundles";

    private static void print(java.io.PrintWriter out, JsonNode bundle) {
        out.printf("%-4s %-40s %-22s %-8s %-8s %s%n", bundle.path("id").asText(), bundle.path("symbolic_name").asText(),
                bundle.path("version").asText(), bundle.path("state").asText(), bundle.path("role").asText(),
                bundle.path("models").toString());
    }

    /** The jar is read by the server from this host's file system, so the path is made absolute here. */
    private static Map<String, String> jar(Path path) {
        return Map.of("path", path.toAbsolutePath().toString());
    }

    @Command(name = "list", description = "List the installed bundles and the folder drops that were refused.")
    static final class ListBundles extends RemoteCommand {
        @Override
        void run(RestClient client) throws RestClient.ServerUnreachableException {
            JsonNode answer = client.get(ROUTE);
            answer.path("bundles").forEach(bundle -> print(out(), bundle));
            answer.path("folder_rejected").fields().forEachRemaining(entry ->
                    out().println("refused " + entry.getKey() + ": " + entry.getValue().asText()));
        }
    }

    @Command(name = "install", description = "Install and start a bundle jar (all or nothing).")
    static final class Install extends RemoteCommand {
        @Parameters(index = "0", description = "Bundle jar")
        Path jar;

        @Override
        void run(RestClient client) throws RestClient.ServerUnreachableException {
            print(out(), client.post(ROUTE, jar(jar)));
        }
    }

    @Command(name = "update", description = "Replace a bundle's jar; the previous one comes back if the new one fails.")
    static final class Update extends RemoteCommand {
        @Parameters(index = "0", description = "Bundle id")
        long id;
        @Parameters(index = "1", description = "New bundle jar")
        Path jar;

        @Override
        void run(RestClient client) throws RestClient.ServerUnreachableException {
            print(out(), client.put(ROUTE + "/" + id, jar(jar)));
        }
    }

    @Command(name = "remove", description = "Stop and uninstall a bundle (its models are stopped first).")
    static final class Remove extends RemoteCommand {
        @Parameters(index = "0", description = "Bundle id")
        long id;

        @Override
        void run(RestClient client) throws RestClient.ServerUnreachableException {
            JsonNode removed = client.delete(ROUTE + "/" + id);
            out().println("Removed " + removed.path("symbolic_name").asText() + " " + removed.path("version").asText());
        }
    }
}
