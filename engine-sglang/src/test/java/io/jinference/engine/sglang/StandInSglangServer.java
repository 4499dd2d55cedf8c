package io.jinference.engine.sglang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for an SGLang installation, because SGLang needs CUDA and this machine has none: a folder holding a
 * {@code sglang} package whose {@code launch_server} is a small real HTTP server (warm-up 503 then 200, OpenAI SSE),
 * an {@code sglang} distribution record so that the probe finds "sglang 0.5.6+standin", and a {@code python}
 * launcher that puts the folder on {@code PYTHONPATH}. The engine is pointed at it through
 * {@code jinference.python.sglang}, so its real command builder, supervisor, readiness probe and proxy all run.
 */
final class StandInSglangServer {
    static final String VERSION = "0.5.6+standin";

    private StandInSglangServer() {
    }

    /** Lays the stand-in out in {@code dir} and returns its {@code python}. */
    static Path install(Path dir) throws IOException {
        Path packageDir = Files.createDirectories(dir.resolve("site/sglang"));
        Files.writeString(packageDir.resolve("__init__.py"), "");
        try (InputStream server = StandInSglangServer.class.getResourceAsStream("stand_in_launch_server.py")) {
            Files.copy(server, packageDir.resolve("launch_server.py"));
        }
        Path distInfo = Files.createDirectories(dir.resolve("site/sglang-" + VERSION + ".dist-info"));
        Files.writeString(distInfo.resolve("METADATA"), "Metadata-Version: 2.1\nName: sglang\nVersion: " + VERSION + "\n");
        Path python = dir.resolve("bin/python");
        Files.createDirectories(python.getParent());
        Files.writeString(python, "#!/bin/sh\nPYTHONPATH='" + dir.resolve("site") + "' exec python3 \"$@\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        return python;
    }
}
