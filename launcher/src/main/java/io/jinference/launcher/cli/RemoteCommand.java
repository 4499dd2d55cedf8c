package io.jinference.launcher.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A subcommand that talks to a running server: turns the server's errors into a message and exit code 1. */
public abstract class RemoteCommand implements Callable<Integer> {
    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:9997",
            description = "Jinference server (default: ${DEFAULT-VALUE})")
    String endpoint;

    @Option(names = "--api-key", defaultValue = "${env:JINFERENCE_API_KEY}",
            description = "API key of a server started with --api-key-file (default: $JINFERENCE_API_KEY)")
    String apiKey;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            run(new RestClient(endpoint, apiKey));
            return 0;
        } catch (RestClient.ApiCallException e) {
            err().println("Error " + e.status() + ": " + e.getMessage());
            return 1;
        } catch (RestClient.ServerUnreachableException e) {
            err().println(e.getMessage());
            return 1;
        }
    }

    abstract void run(RestClient client) throws RestClient.ServerUnreachableException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
