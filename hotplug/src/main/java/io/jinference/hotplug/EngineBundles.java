package io.jinference.hotplug;

import io.jinference.api.EngineNamespace;
import io.jinference.hotplug.BundleRejectedException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    private final Path store;

    public EngineBundles(BundleContext context, Path store) {
        this.context = context;
        this.store = store;
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the bundle store " + store, e);
        }
    }

    /** Every bundle except the system bundle, by id. */
    public List<BundleInfo> list() {
        return Arrays.stream(context.getBundles()).filter(bundle -> bundle.getBundleId() != 0).map(BundleInfo::of).toList();
    }

    public BundleInfo get(long id) {
        return BundleInfo.of(bundle(id));
    }

    /** Installs and starts a jar; {@code name} is how the upload is called in messages (a file name). */
    public synchronized BundleInfo install(String name, InputStream content) {
        Path staged = stage(content);
        try {
            BundleJar jar = BundleJar.read(staged, name);
            rejectDuplicate(jar);
            Path kept = store.resolve(jar.symbolicName() + "-" + jar.version() + ".jar");
            Files.move(staged, kept, StandardCopyOption.REPLACE_EXISTING);
            Bundle bundle = installFrom(kept, jar);
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
            deleteQuietly(staged);
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
        Path staged = stage(content);
        try {
            BundleJar jar = BundleJar.read(staged, "the new jar of bundle " + id);
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
            Files.copy(staged, previous, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Updated bundle {} to {}", id, jar.label());
            return BundleInfo.of(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(staged);
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
        if (bundle.getLocation().startsWith(LOCATION_PREFIX)) {
            deleteQuietly(Path.of(bundle.getLocation().substring(LOCATION_PREFIX.length())));
        }
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

    private Bundle installFrom(Path kept, BundleJar jar) throws IOException {
        try (InputStream in = Files.newInputStream(kept)) {
            return context.installBundle(LOCATION_PREFIX + kept, in);
        } catch (BundleException e) {
            deleteQuietly(kept);
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
        String location = bundle.getLocation();
        if (location.startsWith(LOCATION_PREFIX)) {
            return Path.of(location.substring(LOCATION_PREFIX.length()));
        }
        Path copy = store.resolve(bundle.getSymbolicName() + "-" + bundle.getVersion() + ".jar");
        try (InputStream in = new java.net.URL(location).openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
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

    private Path stage(InputStream content) {
        try {
            Path staged = Files.createTempFile(store, "upload-", ".jar");
            try (content) {
                Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
            }
            return staged;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the uploaded jar in " + store, e);
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
