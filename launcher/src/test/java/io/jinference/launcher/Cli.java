package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs one jinf subcommand in-process and returns what it printed; a non-zero exit fails the test. */
final class Cli {
    private Cli() {
    }

    static String run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        assertThat(exitCode).as(err.toString()).isZero();
        return out.toString();
    }
}
