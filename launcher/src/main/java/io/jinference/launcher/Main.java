package io.jinference.launcher;

import io.jinference.launcher.cli.BundlesCommand;
import io.jinference.launcher.cli.CacheCommand;
import io.jinference.launcher.cli.ChatCommand;
import io.jinference.launcher.cli.ClusterCommand;
import io.jinference.launcher.cli.DownloadCommand;
import io.jinference.launcher.cli.EnginesCommand;
import io.jinference.launcher.cli.KeysCommand;
import io.jinference.launcher.cli.LaunchCommand;
import io.jinference.launcher.cli.ListCommand;
import io.jinference.launcher.cli.RegisterCommand;
import io.jinference.launcher.cli.RuntimesCommand;
import io.jinference.launcher.cli.ServeCommand;
import io.jinference.launcher.cli.TerminateCommand;
import io.jinference.launcher.cli.UnregisterCommand;
import io.jinference.template.ChatTemplateRenderer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jinf}: the server and the command line. */
@Command(name = "jinf", mixinStandardHelpOptions = true, version = "jinf 0.1.0",
        description = "Jinference: LLM serving on the JVM with hot-pluggable OSGi engines.")
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    private Main() {
    }

    /**
     * The server's template renderer, made on first use: Jinjava and Guava are a third of the classes a client
     * command would otherwise load, and a command such as {@code jinf download} never renders a template.
     */
    private static final class Templates {
        static final ChatTemplateRenderer RENDERER = new ChatTemplateRenderer();
    }

    /**
     * llama-server announces keep-alive but closes the connection after each streamed answer, so a request sent
     * right after a stream can meet a pooled connection that the server has just closed: the JDK's HTTP client then
     * fails a POST with "header parser received no bytes" (the proxy answered 503 to about one request in 300 sent
     * back to back, before it took a connection of its own per request). The engine bundles' clients of their
     * servers still pool connections; the server never read such a request, so sending it again on a fresh
     * connection is safe, and this switches on the JDK's own retry for it, which it otherwise applies to idempotent
     * methods only. Read once when the client classes load, so it is set before anything else runs.
     */
    static void allowRetryOnClosedUpstreamConnections() {
        System.setProperty("jdk.httpclient.enableAllMethodRetry", "true");
    }

    /** Without a subcommand, show the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        allowRetryOnClosedUpstreamConnections();
        if (args.length == 0 || !args[0].equals("serve")) {
            // Client commands print answers; Felix's and Jetty's progress lines would only bury them.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        CommandLine commandLine = new CommandLine(new Main())
                .addSubcommand(new ServeCommand((template, messages, variables) ->
                        Templates.RENDERER.render(template, messages, variables)))
                .addSubcommand(new EnginesCommand())
                .addSubcommand(new LaunchCommand())
                .addSubcommand(new ListCommand())
                .addSubcommand(new TerminateCommand())
                .addSubcommand(new ChatCommand())
                .addSubcommand(new RegisterCommand())
                .addSubcommand(new UnregisterCommand())
                .addSubcommand(new BundlesCommand())
                .addSubcommand(new RuntimesCommand())
                .addSubcommand(new DownloadCommand())
                .addSubcommand(new CacheCommand())
                .addSubcommand(new KeysCommand())
                .addSubcommand(new ClusterCommand());
        int exitCode = commandLine.execute(args);
        // Felix and llama.cpp leave non-daemon threads behind (an in-process "engines" answer starts Felix).
        System.exit(exitCode);
    }
}
