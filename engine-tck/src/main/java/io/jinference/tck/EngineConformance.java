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
    private final List<LoadRequest> models = new ArrayList<>();
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

    /**
     * A model the load, generation and embedding checks use; call it again to check more models in the same run.
     * The abilities checked are those both the capability and the model's family declare; abilities the capability
     * does not declare must answer UNSUPPORTED.
     */
    public EngineConformance model(LoadRequest request) {
        models.add(Objects.requireNonNull(request, "request"));
        return this;
    }

    /** The host to probe and load on; by default this machine, CPU only. */
    public EngineConformance host(HostProfile profile) {
        this.host = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /** The context lent to {@code load}; by default temporary folders and the host's chat template renderer. */
    public EngineConformance context(EngineContext engineContext) {
        this.context = Objects.requireNonNull(engineContext, "engineContext");
        return this;
    }

    /**
     * Every check, in the order they must run: the engine's own, then each model's (loaded by the first check that
     * needs it, closed by its last), then the bundle's stop and restart. With several models, each model's check
     * names start with its UID.
     */
    public List<Check> checks() {
        if (models.isEmpty()) {
            throw new IllegalStateException("Give the conformance run a model to load with model(LoadRequest)");
        }
        EngineContext loadContext = context != null ? context : new TckEngineContext(host);
        List<String> declared = capabilities.stream().filter(c -> engine.name().equals(c.engine())).findFirst()
                .map(EngineCapability::abilities).orElse(List.of());

        List<Check> checks = new ArrayList<>(CapabilityChecks.of(capabilities, resourceExists, engine));
        if (framework != null) {
            checks.add(BundleChecks.serviceProperty(framework, engine));
        }
        checks.addAll(ProbeChecks.of(engine, host));
        for (LoadRequest model : models) {
            String prefix = models.size() == 1 ? "" : "[" + model.modelUid() + "] ";
            modelChecks(new ModelUnderTest(engine, model, loadContext), declared, loadContext).stream()
                    .map(check -> new Check(prefix + check.name(), check.body()))
                    .forEach(checks::add);
        }
        if (framework != null) {
            checks.add(BundleChecks.stopAndRestart(framework));
        }
        return checks;
    }

    /** The checks of one model; an engine may declare more abilities than one model has (llama.cpp embeds only
     * with models launched for it), so the abilities checked are those both declare. */
    private List<Check> modelChecks(ModelUnderTest loaded, List<String> declared, EngineContext loadContext) {
        List<String> abilities = declared.stream().filter(loaded.request().family().abilities()::contains).toList();
        List<Check> checks = new ArrayList<>(LifecycleChecks.loading(loaded, engine, loadContext));
        for (Ability ability : List.of(Ability.CHAT, Ability.GENERATE)) {
            if (abilities.contains(ability.capabilityName())) {
                checks.addAll(GenerationChecks.of(ability, loaded));
            }
        }
        if (abilities.contains(Ability.EMBED.capabilityName())) {
            checks.addAll(EmbeddingChecks.of(loaded));
        }
        checks.addAll(AbilityChecks.undeclared(declared, loaded));
        checks.add(LifecycleChecks.closing(loaded));
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
