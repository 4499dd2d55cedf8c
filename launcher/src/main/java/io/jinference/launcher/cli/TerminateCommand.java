package io.jinference.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "terminate", description = "Terminate a launched model.")
public final class TerminateCommand extends RemoteCommand {
    @Parameters(index = "0", description = "Model UID")
    String uid;

    @Override
    void run(RestClient client) throws RestClient.ServerUnreachableException {
        client.delete("/v1/models/" + RestClient.segment(uid));
        out().println("Terminated " + uid);
    }
}
