package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List the launched models of a running server.")
public final class ListCommand extends RemoteCommand {
    private static final String ROW = "%-28s %-24s %-10s %-8s %-8s %-10s %s%n";

    @Override
    void run(RestClient client) throws RestClient.ServerUnreachableException {
        out().printf(ROW, "UID", "MODEL", "ENGINE", "FORMAT", "SIZE", "QUANT", "STATUS");
        for (JsonNode model : client.get("/v1/models").path("data")) {
            out().printf(ROW, model.path("id").asText(), model.path("model_name").asText(),
                    model.path("model_engine").asText(), model.path("model_format").asText(),
                    model.path("model_size_in_billions").asText(), model.path("quantization").asText(),
                    model.path("status").asText());
        }
    }
}
