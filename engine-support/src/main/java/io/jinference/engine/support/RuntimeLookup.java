package io.jinference.engine.support;

import io.jinference.api.EngineException;
import io.jinference.api.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Probes an engine's Python runtime: finds the interpreter, asks it for the installed versions of the engine's
 * packages (one short Python run, cached briefly so that repeated probes stay cheap) and lets the engine judge them.
 */
public final class RuntimeLookup {
    private static final Duration CACHE_TIME = Duration.ofSeconds(30);
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(Map<String, String> versions, Instant until) {
    }

    private final String engine;
    private final List<String> distributions;

    /**
     * @param engine the runtime's name ({@code vllm}, {@code sglang}, {@code mlx}): the managed venv folder and the
     *        {@code jinf runtimes install} argument
     * @param distributions the packages whose versions the engine needs to see
     */
    public RuntimeLookup(String engine, List<String> distributions) {
        this.engine = engine;
        this.distributions = List.copyOf(distributions);
    }

    /** The probe: RUNTIME_MISSING with the fixing command when no Python is found, else the engine's judgement. */
    public ProbeResult probe(BiFunction<PythonRuntime, Map<String, String>, ProbeResult> judge) {
        Optional<PythonRuntime> runtime = PythonRuntime.locate(engine);
        if (runtime.isEmpty()) {
            return ProbeResult.missing("No Python runtime for " + engine + ": run `jinf runtimes install " + engine
                    + "`, or point jinference.python." + engine + " at a Python that has it");
        }
        return judge.apply(runtime.get(), versions(runtime.get()));
    }

    /** The runtime for a load; LOAD_FAILED with the probe's reason when it is not usable. */
    public PythonRuntime require(BiFunction<PythonRuntime, Map<String, String>, ProbeResult> judge) {
        ProbeResult result = probe(judge);
        if (!result.available()) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, result.reason().message());
        }
        return PythonRuntime.locate(engine).orElseThrow();
    }

    /** The fixing sentence for a Python that lacks the engine's package. */
    public String installHint(PythonRuntime runtime, String packageName) {
        return packageName + " is not installed in " + runtime.python() + " (" + runtime.origin()
                + "): run `jinf runtimes install " + engine + "`";
    }

    private Map<String, String> versions(PythonRuntime runtime) {
        String key = runtime.python() + "|" + distributions;
        Cached cached = CACHE.get(key);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return cached.versions();
        }
        Map<String, String> versions = runtime.installedVersions(distributions);
        CACHE.put(key, new Cached(versions, Instant.now().plus(CACHE_TIME)));
        return versions;
    }
}
