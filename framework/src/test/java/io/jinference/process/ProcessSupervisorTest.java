package io.jinference.process;

import static io.jinference.process.TestChildren.alive;
import static io.jinference.process.TestChildren.eventually;
import static io.jinference.process.TestChildren.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.api.process.ManagedProcess;
import io.jinference.api.process.ManagedProcess.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real child processes (a Python HTTP server, shell commands) on loopback. */
final class ProcessSupervisorTest {
    @TempDir
    Path home;

    private ProcessSupervisor supervisor;

    @BeforeEach
    void start() {
        supervisor = new ProcessSupervisor(home, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        supervisor.close();
    }

    @Test
    void waitsThroughWarmUpUntilHealthAnswers200() {
        ManagedProcess child = supervisor.start(TestChildren.healthServer("warm", home, freePort(), 1.0, 0));

        assertThat(child.state()).isEqualTo(State.STARTING);
        child.awaitReady();

        assertThat(child.state()).isEqualTo(State.READY);
        assertThat(child.generation()).isEqualTo(1);
        assertThat(child.pid()).isPositive();
        assertThat(ProcessHandle.of(child.pid()).flatMap(h -> h.info().command()).orElse("")).contains("python");
        assertThat(child.lastLogLines(50)).anyMatch(line -> line.contains("GET /health") && line.contains("503"))
                .anyMatch(line -> line.contains("GET /health") && line.contains("200"));
        assertThat(child.logFile()).isEqualTo(home.resolve("logs/warm/engine.log"));
    }

    @Test
    void closeStopsTheChildAndRemovesItsPidFile() throws Exception {
        ManagedProcess child = supervisor.start(TestChildren.healthServer("closing", home, freePort(), 0, 0));
        child.awaitReady();
        long pid = child.pid();

        child.close();

        assertThat(eventually(Duration.ofSeconds(5), () -> !alive(pid))).isTrue();
        assertThat(child.state()).isEqualTo(State.STOPPED);
        assertThat(home.resolve("run/closing.pid")).doesNotExist();
        assertThat(Files.readString(child.logFile())).contains("=== jinference: stopped");
    }

    @Test
    void aChildThatExitsWhileStartingFailsTheLoadWithItsLastLines() {
        int port = freePort();
        ManagedProcess child = supervisor.start(TestChildren.spec("crash", home, port,
                List.of("python3", "-c", "import sys; print('cannot load weights'); sys.exit(3)"),
                Duration.ofSeconds(20), 2));

        assertThatThrownBy(child::awaitReady).isInstanceOf(EngineException.class)
                .hasMessageContaining("exited with code 3").hasMessageContaining("cannot load weights")
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.LOAD_FAILED);
        assertThat(child.state()).isEqualTo(State.FAILED);
        assertThat(child.generation()).as("a child that never served is not restarted").isEqualTo(1);
    }

    @Test
    void aChildThatNeverAnswersTimesOutAndIsKilled() throws Exception {
        ManagedProcess child = supervisor.start(TestChildren.spec("silent", home, freePort(),
                List.of("sleep", "60"), Duration.ofSeconds(1), 0));

        assertThatThrownBy(child::awaitReady).isInstanceOf(EngineException.class)
                .hasMessageContaining("did not become ready within 1 s");
        assertThat(eventually(Duration.ofSeconds(5), () -> child.pid() == -1)).isTrue();
    }

    @Test
    void aKilledChildIsMarkedFailedAtOnceAndRestartedWithANewGeneration() throws Exception {
        ManagedProcess child = supervisor.start(TestChildren.healthServer("restart", home, freePort(), 0, 1));
        child.awaitReady();
        long firstPid = child.pid();

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

        assertThat(eventually(Duration.ofMillis(1500), () -> child.state() != State.READY))
                .as("death noticed within the watchdog's 1 s poll").isTrue();
        assertThat(eventually(Duration.ofSeconds(15), () -> child.state() == State.READY && child.generation() == 2))
                .isTrue();
        assertThat(child.failure()).contains("exited with code 137");
        assertThat(child.pid()).isPositive().isNotEqualTo(firstPid);
    }

    @Test
    void helpersOfAnEngineKilledHardAreKilledToo() throws Exception {
        int port = freePort();
        // Like vLLM: the server starts a helper process (its EngineCore), which init adopts when the server dies.
        String script = "import subprocess,sys,runpy\n"
                + "helper=subprocess.Popen([sys.executable,'-c','import time; time.sleep(300)'])\n"
                + "print('helper', helper.pid, flush=True)\n"
                + "sys.argv=['health_server', '" + port + "', '0']\n"
                + "runpy.run_path('" + TestChildren.healthServerScript() + "', run_name='__main__')\n";
        ManagedProcess child = supervisor.start(TestChildren.spec("helpers", home, port,
                List.of("python3", "-c", script), Duration.ofSeconds(20), 0));
        child.awaitReady();
        long helper = child.lastLogLines(50).stream().filter(line -> line.startsWith("helper "))
                .mapToLong(line -> Long.parseLong(line.substring("helper ".length()).trim())).findFirst().orElseThrow();
        assertThat(alive(helper)).isTrue();
        assertThat(Files.readString(home.resolve("run/helpers.pid"))).contains("child=" + helper + " ");

        ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly();

        assertThat(eventually(Duration.ofSeconds(5), () -> !alive(helper))).as("orphaned helper killed").isTrue();
    }

    @Test
    void aChildWhoseHealthFailsIsRestarted() throws Exception {
        int port = freePort();
        // The server answers 200 for its first 2 s, then stays alive but unhealthy (an engine stuck after an OOM).
        String script = "import http.server,time\n"
                + "t=time.monotonic()\n"
                + "class H(http.server.BaseHTTPRequestHandler):\n"
                + "  def do_GET(self):\n"
                + "    self.send_response(200 if time.monotonic()-t<2 else 503); self.end_headers()\n"
                + "  def log_message(self,*a): pass\n"
                + "http.server.HTTPServer(('127.0.0.1'," + port + "),H).serve_forever()\n";
        ManagedProcess child = supervisor.start(TestChildren.spec("unhealthy", home, port,
                List.of("python3", "-c", script), Duration.ofSeconds(20), 1));
        child.awaitReady();

        assertThat(eventually(Duration.ofSeconds(10), () -> child.generation() == 2)).isTrue();
        assertThat(child.failure()).contains("failed 3 health checks in a row").contains("HTTP 503");
    }

    @Test
    void aNewSupervisorReapsTheChildrenOfOneThatCrashed() throws Exception {
        ManagedProcess orphan = supervisor.start(TestChildren.healthServer("orphan", home, freePort(), 0, 0));
        orphan.awaitReady();
        long pid = orphan.pid();

        try (ProcessSupervisor next = new ProcessSupervisor(home, Duration.ofSeconds(2))) {
            assertThat(next.reapedAtStart()).contains(pid);
        }
        assertThat(eventually(Duration.ofSeconds(5), () -> !alive(pid))).isTrue();
        assertThat(home.resolve("run/orphan.pid")).doesNotExist();
    }

    @Test
    void twoLiveChildrenCannotShareAName() {
        supervisor.start(TestChildren.healthServer("twin", home, freePort(), 0, 0)).awaitReady();

        assertThatThrownBy(() -> supervisor.start(TestChildren.healthServer("twin", home, freePort(), 0, 0)))
                .isInstanceOf(EngineException.class).hasMessageContaining("twin is running");
    }
}
