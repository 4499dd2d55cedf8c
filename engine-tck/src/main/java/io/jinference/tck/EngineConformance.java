package io.jinference.tck;

import io.jinference.hotplug.EngineCapability;
import io.jinference.api.EngineContext;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.tck.ConformanceReport.Outcome;
import io.jinference.tck.ConformanceReport.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/**
 * The engine conformance kit. An engine's own tests compose it with a model of their choice:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> conformance() {
 *     return EngineConformance.forBundleJar(Path.of("target/my-engine.jar"))
 *             .model(new LoadRequest("tck", family, spec, "none", modelPath, Map.of(), List.of()))
 *             .dynamicTests();
 * }
 * }</pre>
 *
 * {@link #forBundleJar} installs the bundle into a real Felix that exports {@code io.jinference.api} from the
 * system bundle, exactly as the launcher does, and tests the engine service the bundle registers; the framework
 * stops after the last check. {@link #run()} answers a {@link ConformanceReport} instead of JUnit tests.
 */
public final class EngineConformance {

    private final InferenceEngine engine;
    private final List<EngineCapability> capabilities;
    private final Predicate<String> resourceExists;
    private final EmbeddedFramework framework;
    private LoadRequest model;
    private HostProfile host = TckHost.current();
    private EngineContext context;

    private EngineConformance(InferenceEngine engine, List<EngineCapability> capabilities,
            Predicate<String> resourceExists, EmbeddedFramework framework) {
        this.engine = engine;
        this.capabilities = capabilities;
        this.resourceExists = resourceExists;
        this.framework = framework;
    }

    /**
     * Installs and starts the engine bundle (after the given support bundles, e.g. a runtime bundle) in an embedded
     * Felix and waits for its {@link InferenceEngine} service.
     *
     * @throws AssertionError when the bundle does not install, resolve or start, or registers no engine
     */
    public static EngineConformance forBundleJar(Path engineJar, Path... supportBundles) {
        EmbeddedFramework framework = EmbeddedFramework.start(engineJar, Arrays.asList(supportBundles));
        try {
            return new EngineConformance(framework.awaitEngine(), framework.declaredCapabilities(),
                    path -> framework.engineBundle().getEntry(path) != null, framework);
        } catch (AssertionError e) {
            framework.close();
            throw e;
        }
    }

    /**
     * Tests an engine object outside OSGi against capability attributes typed as the framework types them
     * ({@code List<String>}, {@link org.osgi.framework.Version}, {@link Long}).
     */
    public static EngineConformance forEngine(InferenceEngine engine, Map<String, Object> capabilityAttributes) {
        return new EngineConformance(engine, List.of(new EngineCapability(capabilityAttributes)), path -> false, null);
    }

    /** The model the load, generation and embedding checks use; its abilities are the capability's. */
    public EngineConformance model(LoadRequest request) {
        this.model = Objects.requireNonNull(request, "request");
        return this;
    }

    /** The host to probe and load on; by default this machine, CPU only. */
    public EngineConformance host(HostProfile profile) {
        this.host = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /** The context lent to {@code load}; by default temporary folders and no chat template renderer. */
    public EngineConformance context(EngineContext engineContext) {
        this.context = Objects.requireNonNull(engineContext, "engineContext");
        return this;
    }

    /** Every check, in the order they must run (the model is loaded by the first that needs it, closed by the last). */
    public List<Check> checks() {
        if (model == null) {
            throw new IllegalStateException("Give the conformance run a model to load with model(LoadRequest)");
        }
        EngineContext loadContext = context != null ? context : new TckEngineContext(host);
        ModelUnderTest loaded = new ModelUnderTest(engine, model, loadContext);
        List<String> abilities = capabilities.stream().filter(c -> engine.name().equals(c.engine())).findFirst()
                .map(EngineCapability::abilities).orElse(List.of());

        List<Check> checks = new ArrayList<>(CapabilityChecks.of(capabilities, resourceExists, engine));
        if (framework != null) {
            checks.add(BundleChecks.serviceProperty(framework, engine));
        }
        checks.addAll(ProbeChecks.of(engine, host));
        checks.addAll(LifecycleChecks.loading(loaded, engine, loadContext));
        for (Ability ability : List.of(Ability.CHAT, Ability.GENERATE)) {
            if (abilities.contains(ability.capabilityName())) {
                checks.addAll(GenerationChecks.of(ability, loaded));
            }
        }
        if (abilities.contains(Ability.EMBED.capabilityName())) {
            checks.addAll(EmbeddingChecks.of(loaded));
        }
        checks.addAll(AbilityChecks.undeclared(abilities, loaded));
        checks.add(LifecycleChecks.closing(loaded));
        if (framework != null) {
            checks.add(BundleChecks.stopAndRestart(framework));
        }
        return checks;
    }

    /** The checks as JUnit dynamic tests, for a {@code @TestFactory} method. */
    public Stream<DynamicTest> dynamicTests() {
        return checks().stream().map(check -> DynamicTest.dynamicTest(check.name(), check.body()));
    }

    /** Runs every check and reports each outcome; never throws for a failed check. */
    public ConformanceReport run() {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (Check check : checks()) {
                outcomes.add(outcome(check));
            }
        } finally {
            if (framework != null) {
                framework.close();
            }
        }
        return new ConformanceReport(engine.name(), outcomes);
    }

    private static Outcome outcome(Check check) {
        try {
            check.body().execute();
            return new Outcome(check.name(), Status.PASSED, null);
        } catch (TestAbortedException e) {
            return new Outcome(check.name(), Status.SKIPPED, e.getMessage());
        } catch (Throwable e) {
            return new Outcome(check.name(), Status.FAILED, String.valueOf(e.getMessage()));
        }
    }
}
