package io.jinference.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.function.Supplier;
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

    /** A subcommand's class (its {@code @Command} names it) and how to make the object picocli runs. */
    record Subcommand(Class<?> type, Supplier<Object> make) {
        String name() {
            return type.getAnnotation(Command.class).name();
        }
    }

    static List<Subcommand> subcommands() {
        return List.of(
                new Subcommand(ServeCommand.class, () -> new ServeCommand((template, messages, variables) ->
                        Templates.RENDERER.render(template, messages, variables))),
                new Subcommand(EnginesCommand.class, EnginesCommand::new),
                new Subcommand(LaunchCommand.class, LaunchCommand::new),
                new Subcommand(ListCommand.class, ListCommand::new),
                new Subcommand(TerminateCommand.class, TerminateCommand::new),
                new Subcommand(ChatCommand.class, ChatCommand::new),
                new Subcommand(RegisterCommand.class, RegisterCommand::new),
                new Subcommand(UnregisterCommand.class, UnregisterCommand::new),
                new Subcommand(BundlesCommand.class, BundlesCommand::new),
                new Subcommand(RuntimesCommand.class, RuntimesCommand::new),
                new Subcommand(DownloadCommand.class, DownloadCommand::new),
                new Subcommand(CacheCommand.class, CacheCommand::new),
                new Subcommand(KeysCommand.class, KeysCommand::new),
                new Subcommand(ClusterCommand.class, ClusterCommand::new));
    }

    /**
     * The subcommands picocli needs for these arguments: only the one named first, when one is (picocli then parses
     * and runs exactly as with all of them, since a subcommand never reaches its siblings); otherwise all, for the
     * usage, the version and the "did you mean" answer to a mistyped name. picocli reflects over every option of every
     * subcommand it is given, which was a third of a fresh {@code jinf download}'s start-up.
     */
    static List<Subcommand> subcommandsFor(String[] args) {
        List<Subcommand> all = subcommands();
        if (args.length == 0) {
            return all;
        }
        List<Subcommand> named = all.stream().filter(subcommand -> subcommand.name().equals(args[0])).toList();
        return named.isEmpty() ? all : named;
    }

    /**
     * Jackson's first ObjectMapper initialises the JDK's calendar and locale data (StdDateFormat's SimpleDateFormat),
     * a quarter of a fresh {@code jinf download}'s start-up on the main thread. Client commands all read JSON, so
     * that starts on a second core while picocli reads the command line; a main thread that reaches ObjectMapper
     * sooner waits for the class initialisation under way instead of repeating it.
     */
    static void initialiseJsonInBackground() {
        Thread thread = new Thread(ObjectMapper::new, "json-init");
        thread.setDaemon(true);
        thread.start();
    }

    public static void main(String[] args) {
        allowRetryOnClosedUpstreamConnections();
        if (args.length == 0 || !args[0].equals("serve")) {
            initialiseJsonInBackground();
            // Client commands print answers; Felix's and Jetty's progress lines would only bury them.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        CommandLine commandLine = new CommandLine(new Main());
        for (Subcommand subcommand : subcommandsFor(args)) {
            commandLine.addSubcommand(subcommand.make().get());
        }
        int exitCode = commandLine.execute(args);
        // Felix and llama.cpp leave non-daemon threads behind (an in-process "engines" answer starts Felix).
        System.exit(exitCode);
    }
}
