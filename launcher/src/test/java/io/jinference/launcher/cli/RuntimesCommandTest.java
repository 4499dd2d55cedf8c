package io.jinference.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of `jinf runtimes install` that only one kind of runtime understands are refused elsewhere. */
final class RuntimesCommandTest {
    private record Result(int exitCode, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new RuntimesCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute(args);
        return new Result(exitCode, err.toString());
    }

    @Test
    void llamaCppOptionsAreChecked() {
        assertThat(run("install", "llama.cpp", "--gpu", "rocm")).isEqualTo(new Result(2,
                "--gpu must be cuda, metal or vulkan, got 'rocm'\n"));
        assertThat(run("install", "llama.cpp", "--build", "0").err()).contains("positive llama.cpp build number");
        assertThat(run("install", "llama.cpp", "--python", "python3")).isEqualTo(new Result(2,
                "--python applies to the Python runtimes (vllm, sglang, mlx), not to llama.cpp\n"));
    }

    @Test
    void buildOptionsDoNotApplyToPythonRuntimes() {
        assertThat(run("install", "vllm", "--gpu", "cuda")).isEqualTo(new Result(2,
                "--gpu, --build, --dir and --source apply to llama.cpp only\n"));
    }
}
