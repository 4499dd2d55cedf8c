package io.jinference.process;

import static io.jinference.process.TestChildren.alive;
import static io.jinference.process.TestChildren.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell watchdog with real processes: a "server" process is killed with SIGKILL and its child must go too. */
final class ParentWatchdogTest {
    @TempDir
    Path dir;

    @Test
    void theChildDiesSoonAfterItsParentIsKilledHard() throws Exception {
        Process fakeServer = new ProcessBuilder("sleep", "120").start();
        Path pidFile = dir.resolve("child.pid");
        Files.writeString(pidFile, "");
        Process wrapper = new ProcessBuilder(ParentWatchdog.wrap(List.of("sleep", "120"), pidFile, 2,
                fakeServer.pid())).redirectErrorStream(true).start();
        assertThat(eventually(Duration.ofSeconds(5), () -> readEnginePid(pidFile) > 0)).isTrue();
        long child = readEnginePid(pidFile);
        assertThat(alive(child)).isTrue();

        fakeServer.destroyForcibly();

        assertThat(eventually(Duration.ofSeconds(4), () -> !alive(child))).as("child outlived its parent").isTrue();
        assertThat(wrapper.waitFor()).isEqualTo(137);
    }

    @Test
    void theWrapperExitsWithTheChildsExitCode() throws Exception {
        Path pidFile = dir.resolve("exit.pid");
        Process wrapper = new ProcessBuilder(ParentWatchdog.wrap(List.of("sh", "-c", "exit 7"), pidFile, 2))
                .redirectErrorStream(true).start();

        assertThat(wrapper.waitFor()).isEqualTo(7);
    }

    private static long readEnginePid(Path pidFile) {
        try {
            return Files.readAllLines(pidFile).stream().filter(line -> line.startsWith("engine="))
                    .mapToLong(line -> Long.parseLong(line.substring(7).trim())).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
