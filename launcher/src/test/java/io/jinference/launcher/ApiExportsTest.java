package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.host.ApiExports;
import org.junit.jupiter.api.Test;

final class ApiExportsTest {
    @Test
    void exportsTheApiPackageWithItsBundleVersion() {
        assertThat(ApiExports.systemPackagesExtra())
                .containsPattern("(^|,)io\\.jinference\\.api;version=[0-9]+\\.[0-9]+\\.[0-9]+(,|$)")
                .doesNotContain("io.jinference.registry").doesNotContain("uses:=");
    }

    @Test
    void exportsTheHostSlf4jSoThatEngineBundlesLogThroughIt() {
        assertThat(ApiExports.systemPackagesExtra()).containsPattern("(^|,)org\\.slf4j;version=2\\.")
                .contains("org.slf4j.spi;version=");
    }

    @Test
    void splitsHeaderClausesOutsideQuotesOnly() {
        assertThat(ApiExports.splitClauses("a;uses:=\"x,y\";version=\"1.0.0\",b;version=\"2.0.0\""))
                .containsExactly("a;uses:=\"x,y\";version=\"1.0.0\"", "b;version=\"2.0.0\"");
    }
}
