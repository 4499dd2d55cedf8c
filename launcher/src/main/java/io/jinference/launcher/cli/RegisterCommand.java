package io.jinference.launcher.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "register", description = "Register a custom LLM family from a Xinference-style JSON file.")
public final class RegisterCommand extends RemoteCommand {
    @Parameters(index = "0", description = "The family's JSON file")
    Path file;

    @Override
    void run(RestClient client) throws RestClient.ServerUnreachableException {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        client.post("/v1/model_registrations/LLM", Map.of("model", json, "persist", true));
        out().println("Registered " + file);
    }
}
