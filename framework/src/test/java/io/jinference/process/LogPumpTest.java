package io.jinference.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LogPumpTest {
    @TempDir
    Path dir;

    @Test
    void copiesAStreamAndKeepsTheLastLines() throws Exception {
        LogPump pump = new LogPump(dir, 1_000_000, 3);
        pump.pump(new ByteArrayInputStream("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8)), "test-pump").join();

        assertThat(pump.lastLines(2)).containsExactly("two", "three");
        assertThat(Files.readAllLines(pump.file())).containsExactly("one", "two", "three");
    }

    @Test
    void rotatesBySizeAndKeepsOnlySomeOldFiles() {
        LogPump pump = new LogPump(dir, 100, 2);
        for (int i = 0; i < 100; i++) {
            pump.line("line number " + i + " of a chatty engine");
        }
        pump.close();

        assertThat(dir.resolve("engine.log")).exists();
        assertThat(dir.resolve("engine.log.1")).exists();
        assertThat(dir.resolve("engine.log.2")).exists();
        assertThat(dir.resolve("engine.log.3")).doesNotExist();
        assertThat(pump.lastLines(1)).containsExactly("line number 99 of a chatty engine");
    }
}
