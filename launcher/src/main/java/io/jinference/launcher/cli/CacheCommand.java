package io.jinference.launcher.cli;

import io.jinference.catalog.ModelCatalog;
import io.jinference.hub.CacheInventory;
import io.jinference.hub.CachedModel;
import io.jinference.hub.HfCache;
import io.jinference.hub.HubSettings;
import io.jinference.launcher.JinferenceHome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jinf cache list|rm}: the models in the Hugging Face cache (whoever downloaded them), and freeing them. */
@Command(name = "cache", description = "Show and free the models in the Hugging Face cache ($HF_HUB_CACHE).",
        subcommands = {CacheCommand.ListCached.class, CacheCommand.Remove.class})
public final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options both subcommands share. */
    abstract static class CacheSubcommand implements Callable<Integer> {
        @Option(names = "--home", description = "Jinference home, for custom registrations")
        Path home;
        @Spec
        CommandSpec spec;

        CacheInventory inventory() {
            return new CacheInventory(new HfCache(HubSettings.fromEnvironment().hfCache()));
        }

        ModelCatalog catalog() {
            return ModelCatalog.open(JinferenceHome.resolve(home));
        }
    }

    @Command(name = "list", description = "List cached models: model_version, repository, commit, size, path.")
    static final class ListCached extends CacheSubcommand {
        @Override
        public Integer call() {
            List<CachedModel> cached = inventory().list(catalog().families());
            if (cached.isEmpty()) {
                spec.commandLine().getOut().println("The cache " + HubSettings.fromEnvironment().hfCache()
                        + " holds no model");
            }
            for (CachedModel entry : cached) {
                spec.commandLine().getOut().printf("%-50s %-45s %.12s %10.1f MiB  %s%n", entry.modelVersion(),
                        entry.repoId(), entry.commit(), entry.bytes() / 1048576.0, entry.path());
            }
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove a cached model by its model_version (one spec's files) or "
            + "repository id (all of it); blobs other snapshots still use stay.")
    static final class Remove extends CacheSubcommand {
        @Parameters(index = "0", description = "model_version (see cache list) or repository id")
        String name;

        @Override
        public Integer call() {
            if (!inventory().remove(name, catalog().families())) {
                spec.commandLine().getErr().println("The cache holds no model " + name);
                return 1;
            }
            spec.commandLine().getOut().println("Removed " + name);
            return 0;
        }
    }
}
