package io.jinference.engine.mlx;

import io.jinference.api.HostProfile;
import io.jinference.api.ProbeResult;
import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.RuntimeLookup;
import java.util.List;
import java.util.Map;

/**
 * Judges an installed mlx_lm. On Apple silicon the manifest's rule stands. On Linux an MLX build for Linux
 * ({@code mlx-cpu}, or {@code mlx-cuda}) makes MLX available there too: the probe adds os=linux, the host's
 * architecture and the build's device kind, and the explanation says so.
 */
final class MlxProbe {
    static final RuntimeLookup LOOKUP = new RuntimeLookup("mlx", List.of("mlx-lm", "mlx", "mlx-cpu", "mlx-cuda"));

    private MlxProbe() {
    }

    static ProbeResult judge(HostProfile host, PythonRuntime runtime, Map<String, String> versions) {
        String mlxLm = versions.get("mlx-lm");
        if (mlxLm == null || versions.get("mlx") == null) {
            return ProbeResult.missing(LOOKUP.installHint(runtime, "mlx-lm (with mlx)"));
        }
        String found = "mlx-lm " + mlxLm + ", mlx " + versions.get("mlx");
        if (!host.os().equals("linux")) {
            return ProbeResult.available(found + " in " + runtime.python());
        }
        String build = versions.containsKey("mlx-cuda") ? "mlx-cuda" : versions.containsKey("mlx-cpu") ? "mlx-cpu" : null;
        if (build == null) {
            return ProbeResult.missing("mlx is installed in " + runtime.python() + " without a Linux backend: install"
                    + " mlx-cpu (or mlx-cuda) there, or run `jinf runtimes install mlx`");
        }
        String device = build.equals("mlx-cuda") ? "cuda" : "cpu";
        return ProbeResult.available(found + " (" + build + " " + versions.get(build) + ") in " + runtime.python(),
                Map.of("os", List.of("linux"), "arch", List.of(host.arch()), "devices", List.of(device)),
                "an MLX build for Linux (" + build + " " + versions.get(build) + ") is installed, so MLX also runs on"
                        + " Linux " + host.arch() + " (" + device + ")");
    }
}
