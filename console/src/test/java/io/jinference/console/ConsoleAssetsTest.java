package io.jinference.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every listed file is in the jar with its type; any other name, paths included, finds nothing. */
final class ConsoleAssetsTest {
    @Test
    void listedFilesAreServedAndNothingElse() {
        ConsoleAssets.Asset index = ConsoleAssets.find(ConsoleAssets.INDEX).orElseThrow();
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(new String(index.content(), StandardCharsets.UTF_8)).contains("<script type=\"module\"");
        for (String script : new String[] {"api.js", "app.js", "engines.js", "models.js", "chat.js", "bundles.js",
                "registrations.js"}) {
            assertThat(ConsoleAssets.find(script)).get().extracting(ConsoleAssets.Asset::contentType)
                    .asString().startsWith("text/javascript");
        }
        assertThat(ConsoleAssets.find("console.css")).isPresent();
        assertThat(ConsoleAssets.find("../ConsoleAssets.class")).isEmpty();
        assertThat(ConsoleAssets.find("ui/index.html")).isEmpty();
        assertThat(ConsoleAssets.find("missing.js")).isEmpty();
    }
}
