package io.jinference.engine.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creates real virtual environments under a temporary home (no package downloads: nothing leaves the machine). */
final class RuntimeInstallerTest {
    @TempDir
    Path home;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void useTemporaryHome() {
        System.setProperty("jinference.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.clearProperty("jinference.home");
    }

    @Test
    void createsTheEnvironmentWhereTheProbeLooks() {
        Path python = new RuntimeInstaller(progress::add).install("demo", List.of("# nothing pinned yet"), "python3");

        assertThat(python).isEqualTo(home.resolve("runtimes/demo/bin/python"));
        assertThat(Files.isExecutable(python)).isTrue();
        assertThat(progress).anyMatch(line -> line.startsWith("== Creating")).last().asString()
                .contains("runtime is ready");
        Optional<PythonRuntime> located = PythonRuntime.locate("demo");
        assertThat(located).map(PythonRuntime::python).contains(python);
        assertThat(located.orElseThrow().installedVersions(List.of("pip"))).containsKey("pip");
    }

    @Test
    void aFailingPipStepReportsItsLastLines() {
        RuntimeInstaller installer = new RuntimeInstaller(progress::add);

        assertThatThrownBy(() -> installer.install("broken", List.of("--no-deps " + home.resolve("missing.whl")),
                "python3")).isInstanceOf(EngineException.class).hasMessageContaining("without its dependencies failed")
                .hasMessageContaining("missing.whl");
    }
}
