package io.jinference.hotplug;

import io.jinference.api.EngineNamespace;
import io.jinference.hotplug.BundleRejectedException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, updates and removes engine bundles while the server runs, each operation all-or-nothing: a bundle that
 * is not a bundle, duplicates an installed version, declares a malformed engine capability, does not resolve or does
 * not start is taken out again (or, for an update, put back to the previous jar) and the reason is thrown as a
 * {@link BundleRejectedException}. Jars are kept in a store folder so an update can be rolled back.
 */
public final class EngineBundles {

    private static final Logger LOG = LoggerFactory.getLogger(EngineBundles.class);
    private static final String LOCATION_PREFIX = "jinference:engine-bundles/";
    private static final long REFRESH_TIMEOUT_SECONDS = 30;

    private final BundleContext context;
    private final BundleStore store;
    private final JarTrust trust;
    private final JarDigests digests = new JarDigests();

    public EngineBundles(BundleContext context, Path store) {
        this(context, store, JarTrust.ANY);
    }

    /** @param trust which jars may be installed at all (signed by a trusted signer, or any) */
    public EngineBundles(BundleContext context, Path store, JarTrust trust) {
        this.context = context;
        this.store = new BundleStore(store);
        this.trust = trust;
    }

    /**
     * Installs again the jars installed through REST before a restart (clean or not): the framework's cache is
     * cleaned at every start, the store is not. A jar that no longer installs stays in the store and is logged.
     *
     * @return how many were installed and started
     */
    public synchronized int restorePersistent() {
        int restored = 0;
        for (Path kept : store.persistent()) {
            try {
                BundleJar jar = BundleJar.read(kept, kept.getFileName().toString());
                trust.check(kept, jar.label());
                rejectDuplicate(jar);
                activate(installFrom(kept, jar, false), jar.label());
                restored++;
            } catch (BundleRejectedException | IOException e) {
                LOG.error("The stored bundle {} was not installed again: {}", kept.getFileName(), e.getMessage());
            }
        }
        return restored;
    }

    /**
     * The bundles installed through REST and kept across restarts (not the watched folder's, nor the
     * distribution's), each with its jar's SHA-256: what a cluster replicates to its other nodes.
     */
    public synchronized List<KeptBundle> keptAcrossRestarts() {
        List<KeptBundle> kept = new java.util.ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            Optional<Path> jar = storedJar(bundle).filter(store::keptAcrossRestarts).filter(Files::isRegularFile);
            if (jar.isPresent() && bundle.getState() != Bundle.UNINSTALLED) {
                try {
                    kept.add(new KeptBundle(BundleInfo.of(bundle), digests.sha256(jar.get()), jar.get()));
                } catch (IOException unreadable) {
                    LOG.warn("The stored jar of bundle {} cannot be read: {}", bundle.getBundleId(),
                            unreadable.getMessage());
                }
            }
        }
        digests.retain(kept.stream().map(KeptBundle::jar).collect(java.util.stream.Collectors.toSet()));
        return kept;
    }

    /**
     * A bundle installed through REST, with its jar (a file of the store, never one a request names).
     *
     * @param sha256 the jar's SHA-256, lowercase hex
     */
    public record KeptBundle(BundleInfo info, String sha256, Path jar) {
    }

    /** Every bundle except the system bundle, by id. */
    public List<BundleInfo> list() {
        return Arrays.stream(context.getBundles()).filter(bundle -> bundle.getBundleId() != 0).map(BundleInfo::of).toList();
    }

    public BundleInfo get(long id) {
        return BundleInfo.of(bundle(id));
    }

    /** Installs and starts a jar for this run only (the watched folder installs its jars again at start). */
    public BundleInfo install(String name, InputStream content) {
        return install(name, content, false);
    }

    /**
     * Installs and starts a jar; {@code name} is how the upload is called in messages, never a file name.
     *
     * @param acrossRestarts keep the jar and install it again at every start (REST installs)
     */
    public synchronized BundleInfo install(String name, InputStream content, boolean acrossRestarts) {
        Path staged = store.stage(content);
        try {
            BundleJar jar = BundleJar.read(staged, name);
            trust.check(staged, jar.label());
            rejectDuplicate(jar);
            Path kept = store.keep(staged, acrossRestarts ? BundleStore.Keep.ACROSS_RESTARTS : BundleStore.Keep.THIS_RUN);
            Bundle bundle = installFrom(kept, jar, true);
            try {
                activate(bundle, jar.label());
            } catch (BundleRejectedException e) {
                uninstallQuietly(bundle);
                refresh(bundle);
                deleteQuietly(kept);
                throw e;
            }
            LOG.info("Installed and started {} as bundle {}", jar.label(), bundle.getBundleId());
            return BundleInfo.of(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (Files.exists(staged)) {
                deleteQuietly(staged);
            }
        }
    }

    /**
     * Replaces a bundle's jar. A runtime bundle (natives) is refused: its new version takes effect after a restart.
     * When the new jar fails, the previous one is put back and started again.
     */
    public synchronized BundleInfo update(long id, InputStream content) {
        Bundle bundle = bundle(id);
        if (BundleRole.of(bundle) == BundleRole.RUNTIME) {
            throw new BundleRejectedException(Problem.RESTART_REQUIRED, "Bundle " + bundle.getSymbolicName() + " "
                    + bundle.getVersion() + " holds native libraries, which a running JVM cannot load twice; put the "
                    + "new jar into the bundles folder and restart the server for it to take effect");
        }
        Path staged = store.stage(content);
        try {
            BundleJar jar = BundleJar.read(staged, "the new jar of bundle " + id);
            trust.check(staged, jar.label());
            Path previous = keptJar(bundle);
            updateFrom(bundle, staged, jar.label());
            try {
                activate(bundle, jar.label());
            } catch (BundleRejectedException e) {
                LOG.warn("Update of bundle {} to {} failed, putting the previous jar back: {}", id, jar.label(),
                        e.getMessage());
                restore(bundle, previous);
                throw e;
            }
            store.replace(previous, staged);
            LOG.info("Updated bundle {} to {}", id, jar.label());
            return BundleInfo.of(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (Files.exists(staged)) {
                deleteQuietly(staged);
            }
        }
    }

    /** Stops and uninstalls a bundle, then lets the framework drop its old wiring. */
    public synchronized BundleInfo remove(long id) {
        Bundle bundle = bundle(id);
        BundleInfo info = BundleInfo.of(bundle);
        try {
            bundle.uninstall();
        } catch (BundleException e) {
            throw new BundleRejectedException(Problem.START_FAILED, "Bundle " + id + " did not stop cleanly: "
                    + e.getMessage());
        }
        refresh(bundle);
        storedJar(bundle).ifPresent(EngineBundles::deleteQuietly);
        LOG.info("Removed bundle {} ({} {})", id, info.symbolicName(), info.version());
        return info;
    }

    private Bundle bundle(long id) {
        Bundle bundle = context.getBundle(id);
        if (bundle == null) {
            throw new BundleRejectedException(Problem.NOT_FOUND, "No bundle with id " + id);
        }
        if (id == 0) {
            throw new BundleRejectedException(Problem.NOT_AN_ENGINE_BUNDLE, "The system bundle cannot be changed");
        }
        return bundle;
    }

    private void rejectDuplicate(BundleJar jar) {
        Optional<Bundle> same = Arrays.stream(context.getBundles())
                .filter(b -> jar.symbolicName().equals(b.getSymbolicName()) && jar.version().equals(b.getVersion()))
                .findFirst();
        if (same.isPresent()) {
            throw new BundleRejectedException(Problem.DUPLICATE, jar.label() + " is already installed as bundle "
                    + same.get().getBundleId() + "; install another version, or update that bundle");
        }
    }

    private Bundle installFrom(Path kept, BundleJar jar, boolean deleteIfRefused) throws IOException {
        try (InputStream in = Files.newInputStream(kept)) {
            return context.installBundle(LOCATION_PREFIX + kept, in);
        } catch (BundleException e) {
            if (deleteIfRefused) {
                deleteQuietly(kept);
            }
            throw new BundleRejectedException(Problem.INVALID_HEADER, jar.label() + " was refused by the framework: "
                    + e.getMessage());
        }
    }

    /** Stops the bundle first, so that the update itself never starts it: {@link #activate} does, with checks. */
    private static void updateFrom(Bundle bundle, Path jarFile, String label) throws IOException {
        try (InputStream in = Files.newInputStream(jarFile)) {
            bundle.stop();
            bundle.update(in);
        } catch (BundleException e) {
            startQuietly(bundle);
            throw new BundleRejectedException(Problem.INVALID_HEADER, label + " was refused by the framework: "
                    + e.getMessage());
        }
    }

    /** Puts a bundle whose update was refused back into service on its unchanged jar. */
    private static void startQuietly(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            LOG.error("Bundle {} did not start again after a refused update: {}", bundle.getBundleId(), e.getMessage());
        }
    }

    /** Checks the engine capability, resolves and starts the bundle; throws the first reason it cannot run. */
    private void activate(Bundle bundle, String label) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        for (var capability : revision.getDeclaredCapabilities(EngineNamespace.NAMESPACE)) {
            List<String> problems = new EngineCapability(capability.getAttributes())
                    .problems(path -> bundle.getEntry(path) != null);
            if (!problems.isEmpty()) {
                throw new BundleRejectedException(Problem.INVALID_HEADER, label + " declares a malformed "
                        + EngineNamespace.NAMESPACE + " capability: " + String.join("; ", problems));
            }
        }
        if (bundle.getHeaders().get(org.osgi.framework.Constants.FRAGMENT_HOST) != null) {
            return;
        }
        boolean resolved = context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(bundle));
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            String reason = e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
            throw new BundleRejectedException(resolved ? Problem.START_FAILED : Problem.UNRESOLVED,
                    label + (resolved ? " did not start: " : " does not resolve: ") + reason);
        }
    }

    /** The stored copy of a bundle's current jar, made from its location when the bundle came from elsewhere. */
    private Path keptJar(Bundle bundle) throws IOException {
        Optional<Path> stored = storedJar(bundle);
        if (stored.isPresent()) {
            return stored.get();
        }
        try (InputStream in = new java.net.URL(bundle.getLocation()).openStream()) {
            return store.copyOf(in, BundleStore.Keep.THIS_RUN);
        }
    }

    /** The store's file behind a bundle installed through the store; only a file the store owns is ever returned. */
    private Optional<Path> storedJar(Bundle bundle) {
        String location = bundle.getLocation();
        if (!location.startsWith(LOCATION_PREFIX)) {
            return Optional.empty();
        }
        Path file = Path.of(location.substring(LOCATION_PREFIX.length()));
        return store.owns(file) ? Optional.of(file) : Optional.empty();
    }

    private void restore(Bundle bundle, Path previous) {
        try (InputStream in = Files.newInputStream(previous)) {
            bundle.stop();
            bundle.update(in);
            bundle.start();
        } catch (IOException | BundleException | RuntimeException e) {
            LOG.error("Could not put bundle {} back to its previous jar: {}", bundle.getBundleId(), e.getMessage());
        }
    }

    /** Drops wirings of old revisions (after update or uninstall) and waits until the framework has done so. */
    private void refresh(Bundle bundle) {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        try {
            if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Refreshing bundle {} took longer than {} s", bundle.getBundleId(), REFRESH_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Rolling back bundle {} failed: {}", bundle.getBundleId(), e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
