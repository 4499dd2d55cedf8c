package io.jinference.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unregister", description = "Remove a custom LLM family.")
public final class UnregisterCommand extends RemoteCommand {
    @Parameters(index = "0", description = "Family name")
    String name;

    @Override
    void run(RestClient client) throws RestClient.ServerUnreachableException {
        client.delete("/v1/model_registrations/LLM/" + RestClient.segment(name));
        out().println("Unregistered " + name);
    }
}
