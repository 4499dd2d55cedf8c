package io.jinference.engine.support.testing;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.HostProfile;
import io.jinference.api.process.ProcessLauncher;
import io.jinference.process.ProcessSupervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An engine context for engine tests, backed by the framework's real {@link ProcessSupervisor}: children are real
 * processes with logs under {@code home}. Chat templates are not needed by managed-server engines (their servers
 * apply the model's own template), so rendering one is refused.
 */
public final class SupervisedEngineContext implements EngineContext, AutoCloseable {
    private final Path home;
    private final Path workDir;
    private final HostProfile host;
    private final ProcessSupervisor supervisor;

    public SupervisedEngineContext(Path home, HostProfile host) {
        this.home = home;
        this.workDir = home.resolve("work");
        this.host = host;
        this.supervisor = new ProcessSupervisor(home, Duration.ofSeconds(5));
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This machine as a CPU-only Linux x86_64 host. */
    public static HostProfile linuxCpuHost() {
        return new HostProfile("linux", "x86_64", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(), List.of(), List.of(), false, true);
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public HostProfile host() {
        return host;
    }

    @Override
    public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        throw new EngineException(EngineException.Kind.UNSUPPORTED, "Managed-server engines apply their own templates");
    }

    @Override
    public ProcessLauncher processes() {
        return supervisor;
    }

    @Override
    public void close() {
        supervisor.close();
    }
}
