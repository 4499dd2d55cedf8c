package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** picocli gets only the subcommand named first, and all of them when none is named. */
final class MainSubcommandsTest {
    private static final List<String> ALL = List.of("serve", "engines", "launch", "list", "terminate", "chat",
            "register", "unregister", "bundles", "runtimes", "download", "cache", "keys", "cluster");

    private static List<String> names(String... args) {
        return Main.subcommandsFor(args).stream().map(Main.Subcommand::name).toList();
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(names("download", "smollm2-instruct", "--format", "ggufv2")).containsExactly("download");
        assertThat(names("cache", "list")).containsExactly("cache");
        assertThat(names("serve", "--port", "0")).containsExactly("serve");
    }

    @Test
    void withoutASubcommandNameAllAreBuiltForTheUsageAndTheSuggestions() {
        assertThat(names()).containsExactlyElementsOf(ALL);
        assertThat(names("--help")).containsExactlyElementsOf(ALL);
        assertThat(names("-V")).containsExactlyElementsOf(ALL);
        assertThat(names("downlaod")).containsExactlyElementsOf(ALL);
    }

    @Test
    void everySubcommandCanBeNamedAlone() {
        for (String name : ALL) {
            assertThat(names(name)).containsExactly(name);
        }
    }
}
