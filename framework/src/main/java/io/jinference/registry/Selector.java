package io.jinference.registry;

import io.jinference.api.EngineNamespace;
import io.jinference.api.HostProfile;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.Reason;
import io.jinference.catalog.CatalogException;
import io.jinference.catalog.ModelCatalog;
import io.jinference.catalog.ModelSizes;
import io.jinference.catalog.ModelSpecs;
import io.jinference.catalog.UnknownFamilyException;
import io.jinference.host.HostProfiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Turns a request and a host into a {@link Decision}: every installed engine judged (static capabilities, plus the
 * runtime probe when the host is this machine), and one engine chosen by the request or the {@link SelectionPolicy}.
 */
public final class Selector {
    private final EngineRegistry registry;
    private final ModelCatalog catalog;
    private final SelectionPolicy policy;

    public Selector(EngineRegistry registry, ModelCatalog catalog, SelectionPolicy policy) {
        this.registry = registry;
        this.catalog = catalog;
        this.policy = policy;
    }

    /** A candidate plus the exact specs it can run, which the choice needs and the public record summarises. */
    private record Judged(EngineCandidate candidate, EngineDescriptor descriptor, List<CapabilityMatcher.RunnableSpec> runnable) {
    }

    /**
     * @throws UnknownFamilyException when the model is not in the catalog
     * @throws CatalogException when the model has no spec with the requested format, size and quantization, or the
     *         engine version is malformed
     */
    public Decision decide(SelectionRequest request, HostProfile host) {
        ModelFamily family = catalog.find(request.modelName()).orElseThrow(() -> new UnknownFamilyException(request.modelName()));
        List<ModelSpec> specs = requestedSpecs(family, request);
        List<String> architectures = catalog.architecturesOf(family);
        List<Judged> judged = new ArrayList<>();
        for (EngineDescriptor descriptor : engines(request)) {
            judged.add(judge(descriptor, family, architectures, specs, request.quantization(), host));
        }
        Optional<Choice> choice = choose(judged, request, host);
        judged.sort(byPreference(choice));
        List<EngineCandidate> candidates = judged.stream().map(Judged::candidate).toList();
        return new Decision(family, candidates, choice.orElse(null), policy.toString(),
                Explanation.of(family, request, host, candidates, choice.orElse(null), policy));
    }

    private static List<ModelSpec> requestedSpecs(ModelFamily family, SelectionRequest request) {
        if (request.size() != null && !ModelSizes.isValid(request.size())) {
            throw new CatalogException("Model size '" + request.size() + "' is not a number of billions (write 7, 0_5 or 1.8)");
        }
        List<ModelSpec> specs = ModelCatalog.specsOf(family, request.format(), request.size()).stream()
                .filter(spec -> ModelSpecs.quantization(spec, request.quantization()).isPresent())
                .toList();
        if (specs.isEmpty()) {
            throw new CatalogException("Model " + family.name() + " has no spec with"
                    + Explanation.criterion(" format", request.format()) + Explanation.criterion(" size", request.size())
                    + Explanation.criterion(" quantization", request.quantization()) + "; it offers "
                    + family.specs().stream().map(spec -> ModelSpecs.describe(spec, spec.quantizations().toString()))
                            .collect(Collectors.joining(", ")));
        }
        return specs;
    }

    /** Installed engines narrowed to the requested name, version and backend. */
    private List<EngineDescriptor> engines(SelectionRequest request) {
        VersionRange range = versionRange(request.engineVersion());
        List<EngineDescriptor> named = registry.descriptors().stream()
                .filter(d -> request.engine() == null || d.engine().equalsIgnoreCase(request.engine().trim()))
                .filter(d -> range == null || range.includes(d.version()))
                .toList();
        if (request.backend() == null || request.backend().isBlank()) {
            return named;
        }
        String backend = request.backend().trim();
        List<EngineDescriptor> pinned = named.stream().filter(d -> backend.equalsIgnoreCase(d.backend())).toList();
        if (pinned.isEmpty()) {
            List<String> offered = named.stream().map(EngineDescriptor::backend).filter(b -> b != null).distinct()
                    .sorted().toList();
            throw new CatalogException("Backend '" + backend + "' is not offered by any installed engine"
                    + (request.engine() == null ? "" : " named " + request.engine().trim())
                    + (offered.isEmpty() ? " (none of them has several backends)" : "; installed backends: " + offered));
        }
        return pinned;
    }

    private static VersionRange versionRange(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String trimmed = text.trim();
            if (trimmed.startsWith("[") || trimmed.startsWith("(")) {
                return VersionRange.valueOf(trimmed);
            }
            Version exact = Version.parseVersion(trimmed);
            return new VersionRange(VersionRange.LEFT_CLOSED, exact, exact, VersionRange.RIGHT_CLOSED);
        } catch (IllegalArgumentException e) {
            throw new CatalogException("Engine version '" + text + "' is neither a version (0.11.0) nor an OSGi range ([0.10,0.12))");
        }
    }

    private Judged judge(EngineDescriptor descriptor, ModelFamily family, List<String> architectures, List<ModelSpec> specs,
            String quantization, HostProfile host) {
        RuntimeCheck.Result runtime = RuntimeCheck.run(registry, descriptor, host);
        CapabilityMatcher.Outcome outcome = CapabilityMatcher.match(descriptor.label(), runtime.attributes(), family,
                architectures, specs, quantization, host);
        List<Reason> reasons = new ArrayList<>(runtime.reasons());
        reasons.addAll(outcome.reasons());
        boolean available = reasons.isEmpty() && !outcome.runnable().isEmpty();
        EngineCandidate candidate = new EngineCandidate(descriptor.engine(), descriptor.version(), descriptor.bundleId(),
                available, params(outcome.runnable()), reasons, runtime.runtime(), runtime.note(), descriptor.backend(),
                CapabilityReader.strings(runtime.attributes().get(EngineNamespace.DEVICES)));
        return new Judged(candidate, descriptor, outcome.runnable());
    }

    /** Runnable specs grouped per (format, size) like Xinference's engine params, quantizations merged in order. */
    private static List<SpecParams> params(List<CapabilityMatcher.RunnableSpec> runnable) {
        Map<String, SpecParams> grouped = new LinkedHashMap<>();
        for (CapabilityMatcher.RunnableSpec spec : runnable) {
            String key = spec.spec().format() + "|" + ModelSizes.canonical(spec.spec().sizeInBillions());
            SpecParams existing = grouped.get(key);
            List<String> quantizations = new ArrayList<>(existing == null ? List.of() : existing.quantizations());
            spec.quantizations().stream().filter(q -> !quantizations.contains(q)).forEach(quantizations::add);
            grouped.put(key, new SpecParams(spec.spec().format(), spec.spec().sizeInBillions(), quantizations));
        }
        return List.copyOf(grouped.values());
    }

    /** One (engine, spec) pair that could be chosen. */
    private record Option(Judged judged, CapabilityMatcher.RunnableSpec runnable, int rank, int specIndex) {
    }

    /**
     * The first available (engine, spec) by policy rank; pairs no step covers follow, by capability priority. Within a
     * rank the newest engine version wins, then the earlier spec of the catalog.
     */
    private Optional<Choice> choose(List<Judged> judged, SelectionRequest request, HostProfile host) {
        List<Option> options = new ArrayList<>();
        for (Judged candidate : judged) {
            if (!candidate.candidate().available()) {
                continue;
            }
            for (int i = 0; i < candidate.runnable().size(); i++) {
                CapabilityMatcher.RunnableSpec runnable = candidate.runnable().get(i);
                options.add(new Option(candidate, runnable,
                        policy.rank(candidate.descriptor().engine(), runnable.spec().format()), i));
            }
        }
        return options.stream().min(optionOrder(host)).map(best -> choice(best, request, host, judged));
    }

    /**
     * Policy rank first; within a rank (the backends of one engine) one whose runtime drives the host's GPU before one
     * that runs on the CPU only, then capability priority.
     */
    private static Comparator<Option> optionOrder(HostProfile host) {
        return Comparator.comparingInt(Option::rank)
                .thenComparing(option -> !option.judged().candidate().drivesGpuOf(host))
                .thenComparing(option -> option.judged().descriptor().priority(), Comparator.reverseOrder())
                .thenComparing(option -> option.judged().descriptor().engine().toLowerCase(java.util.Locale.ROOT))
                .thenComparing(option -> option.judged().descriptor().version(), Comparator.reverseOrder())
                .thenComparingInt(Option::specIndex);
    }

    private Choice choice(Option best, SelectionRequest request, HostProfile host, List<Judged> judged) {
        ModelSpec spec = best.runnable().spec();
        String quantization = ModelSpecs.quantization(best.runnable().quantizations(), request.quantization())
                .or(() -> ModelSpecs.defaultQuantization(best.runnable().quantizations())).orElseThrow();
        EngineCandidate engine = best.judged().candidate();
        String runs = "can run " + ModelSpecs.describe(spec, quantization) + " on " + HostProfiles.describe(host);
        String why;
        if (request.engine() != null) {
            why = engine.label() + ": named in the request and " + runs;
        } else if (best.rank() < policy.steps().size()) {
            why = engine.label() + ": first in policy '" + policy.describeFor(spec.format()) + "' that " + runs;
        } else {
            why = engine.label() + ": no policy step prefers an engine for " + spec.format()
                    + "; highest capability priority (" + best.judged().descriptor().priority() + ") among engines that " + runs;
        }
        EngineDescriptor descriptor = best.judged().descriptor();
        return new Choice(engine, spec, quantization, why + BackendChoice.why(engine, request,
                judged.stream().map(Judged::candidate).toList(), descriptor) + GpuUse.why(engine, descriptor, host));
    }

    /** The chosen engine first, then the other available ones by policy, then the unavailable ones by name. */
    private Comparator<Judged> byPreference(Optional<Choice> choice) {
        return Comparator.comparing((Judged j) -> choice.map(c -> c.engine() != j.candidate()).orElse(true))
                .thenComparing(j -> !j.candidate().available())
                .thenComparingInt(j -> j.runnable().stream()
                        .mapToInt(r -> policy.rank(j.descriptor().engine(), r.spec().format())).min().orElse(Integer.MAX_VALUE))
                .thenComparing(j -> j.descriptor().engine().toLowerCase(java.util.Locale.ROOT))
                .thenComparing(j -> j.descriptor().version(), Comparator.reverseOrder());
    }
}
