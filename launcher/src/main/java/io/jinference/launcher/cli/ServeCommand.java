package io.jinference.launcher.cli;

import io.jinference.launcher.Distribution;
import io.jinference.launcher.JinferenceHome;
import io.jinference.launcher.JinferenceServer;
import io.jinference.runtime.ChatTemplateRendering;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Start the Jinference server (Felix with the engine bundles, REST API).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--port", defaultValue = "9997", description = "Port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--home", description = "Jinference home (default: $JINFERENCE_HOME, else ~/.jinference)")
    Path home;
    @Option(names = "--host-profile",
            description = "Serve as if on this host: a preset (linux-x86_64-cuda, …), JSON or a JSON file")
    String hostProfile;

    private final ChatTemplateRendering templates;

    public ServeCommand(ChatTemplateRendering templates) {
        this.templates = templates;
    }

    /**
     * Runs until the process is told to stop (SIGTERM, Ctrl-C): the shutdown hook then stops REST, terminates the
     * models and stops Felix, and the JVM exits even though Felix and llama.cpp leave non-daemon threads.
     */
    @Override
    public Integer call() throws InterruptedException {
        Path resolvedHome = JinferenceHome.resolve(home);
        JinferenceServer server = JinferenceServer.start(resolvedHome,
                Distribution.locate().bundleFolders(resolvedHome), host, port, hostProfile, templates);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jinference-shutdown"));
        new CountDownLatch(1).await();
        return 0;
    }
}
