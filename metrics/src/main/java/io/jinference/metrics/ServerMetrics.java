package io.jinference.metrics;

import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything {@code GET /metrics} shows, in Prometheus text: HTTP requests by route template and status (with latency
 * histograms), per-model generation ({@link GenerationMetrics}), model states and restarts, engine bundles and
 * their states, downloads, JVM and process metrics, and the engine servers' own metrics
 * ({@link EngineServerMetrics}). Each request is measured through a {@link RequestRecord} from {@link #begin} to
 * {@link #finish}, which also writes its {@link RequestLog} line.
 */
public final class ServerMetrics implements AutoCloseable {
    /** The content type of the Prometheus text format this exposition is written in. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Request latency buckets: a dozen, from a cached status call to a long generation (Micrometer's percentile
     * histogram would add about 70 per route and status).
     */
    private static final Duration[] HTTP_BUCKETS = Stream.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            10.0, 30.0, 60.0, 120.0).map(seconds -> Duration.ofNanos(Math.round(seconds * 1e9)))
            .toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GenerationMetrics generation = new GenerationMetrics(registry);
    private final EngineServerMetrics engineServers;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ModelManager models;
    private final Supplier<List<EngineBundleState>> bundles;
    private final Supplier<List<DownloadState>> downloads;
    private final MultiGauge modelStates;
    private final MultiGauge modelRestarts;
    private final MultiGauge bundleStates;
    private final MultiGauge downloadDone;
    private final MultiGauge downloadTotal;

    public ServerMetrics(ModelManager models, Supplier<List<EngineBundleState>> bundles,
            Supplier<List<DownloadState>> downloads) {
        this.models = models;
        this.bundles = bundles;
        this.downloads = downloads;
        this.engineServers = new EngineServerMetrics(models);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        modelStates = MultiGauge.builder("jinference.model.state")
                .description("1 for each launched model's current state").register(registry);
        modelRestarts = MultiGauge.builder("jinference.model.restarts")
                .description("How often the model's engine server was restarted after it died").register(registry);
        bundleStates = MultiGauge.builder("jinference.engine.bundle.state")
                .description("1 for each installed engine bundle's OSGi state").register(registry);
        downloadDone = MultiGauge.builder("jinference.download.done").baseUnit("bytes")
                .description("Bytes a launch's model download has fetched").register(registry);
        downloadTotal = MultiGauge.builder("jinference.download.total").baseUnit("bytes")
                .description("Bytes a launch's model download will fetch in all").register(registry);
    }

    /** A request arrived; {@code clientRequestId} is the client's {@code X-Request-Id} (null if none). */
    public RequestRecord begin(String method, String clientRequestId) {
        return new RequestRecord(RequestIds.accept(clientRequestId), method, generation);
    }

    /**
     * The request ended with {@code status}; {@code route} is the route template it matched (never the raw path,
     * which would make one time series per model name).
     */
    public void finish(RequestRecord record, String route, int status) {
        long total = System.nanoTime() - record.startNanos();
        Timer.builder("http.server.requests").description("HTTP requests by route template and status")
                .tags("method", record.method(), "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(HTTP_BUCKETS).register(registry).record(total, TimeUnit.NANOSECONDS);
        String failure = record.errorKind() != null ? record.errorKind() : status >= 400 ? "http_" + status : null;
        generation.finished(record, total, failure);
        RequestLog.write(record, route, status, total);
    }

    /** The whole exposition, with the model, bundle and download gauges read now. */
    public String scrape() {
        refreshGauges();
        return registry.scrape() + engineServers.scrape();
    }

    private void refreshGauges() {
        List<ModelInstance> launched = models.list();
        modelStates.register(launched.stream().map(model -> MultiGauge.Row.of(Tags.of("model_uid", model.uid(),
                "engine", model.engine(), "state", model.state().name().toLowerCase(Locale.ROOT)), 1)).toList(), true);
        modelRestarts.register(launched.stream().map(model -> MultiGauge.Row.of(Tags.of("model_uid", model.uid(),
                "engine", model.engine()), model.restarts())).toList(), true);
        bundleStates.register(bundles.get().stream().map(bundle -> MultiGauge.Row.of(Tags.of("bundle_id",
                Long.toString(bundle.id()), "bundle", bundle.name(), "version", bundle.version(), "state",
                bundle.state()), 1)).toList(), true);
        List<DownloadState> fetching = downloads.get();
        downloadDone.register(fetching.stream().map(download -> MultiGauge.Row.of(Tags.of("model_uid",
                download.modelUid(), "stage", download.stage()), download.doneBytes())).toList(), true);
        downloadTotal.register(fetching.stream().map(download -> MultiGauge.Row.of(Tags.of("model_uid",
                download.modelUid(), "stage", download.stage()), download.totalBytes())).toList(), true);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
