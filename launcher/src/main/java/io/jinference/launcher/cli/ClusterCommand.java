package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.cluster.ClusterSecrets;
import io.jinference.cluster.MemoryEstimate;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jinf cluster init|status}: the cluster's secrets, and what a running cluster looks like. */
@Command(name = "cluster", description = "Make a cluster's secrets; show a running cluster.",
        subcommands = {ClusterCommand.Init.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "init", description = "Make a new cluster's key store (TLS between nodes, mutual authentication) "
            + "and HTTP key in a folder; copy the folder to every node and start each with --cluster-dir.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Folder to make (it must not hold a cluster yet)")
        Path dir;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                ClusterSecrets secrets = ClusterSecrets.init(dir);
                spec.commandLine().getOut().println("Made the cluster's key store " + secrets.keyStore()
                        + " and its HTTP key; copy " + dir + " to every node (it is secret: owner-only files).");
                return 0;
            } catch (IllegalStateException | java.io.UncheckedIOException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "status", description = "Show the cluster's nodes, their roles, free memory and models.")
    static final class Status extends RemoteCommand {
        private static final String ROW = "%-40s %-8s %-30s %12s  %s%n";

        @Override
        void run(RestClient client) throws RestClient.ServerUnreachableException {
            JsonNode status = client.get("/v1/cluster/status");
            out().println("supervisor: " + status.path("supervisor").asText("none"));
            out().printf(ROW, "NODE", "STATUS", "ROLES", "FREE MEMORY", "MODELS");
            for (JsonNode member : status.path("members")) {
                JsonNode worker = status.path("workers").path(member.path("node").asText());
                StringBuilder models = new StringBuilder();
                worker.path("models").forEach(model -> models.append(models.isEmpty() ? "" : ", ")
                        .append(model.path("uid").asText()).append(" (").append(model.path("state").asText())
                        .append(')'));
                out().printf(ROW, member.path("node").asText(), member.path("status").asText()
                                + (member.path("reachable").asBoolean(true) ? "" : "!"),
                        String.join(",", roles(member)),
                        worker.isMissingNode() ? "-" : MemoryEstimate.mib(worker.path("memory_free_bytes").asLong()),
                        models.isEmpty() ? "-" : models.toString());
            }
        }

        private static java.util.List<String> roles(JsonNode member) {
            java.util.List<String> roles = new java.util.ArrayList<>();
            member.path("roles").forEach(role -> roles.add(role.asText()));
            return roles;
        }
    }
}
