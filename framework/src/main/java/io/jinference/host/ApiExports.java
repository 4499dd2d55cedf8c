package io.jinference.host;

import io.jinference.api.InferenceEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.LoggerFactory;

/**
 * The {@code io.jinference.api*} packages with their versions, read from the framework bundle's own
 * {@code Export-Package} header (bnd writes it from the packages' {@code @Version}), so that the system bundle
 * exports exactly what an engine bundle built against the API imports. The host's SLF4J packages are exported the
 * same way (from slf4j-api's header), so that engine bundles and the libraries they embed log through the host.
 * The launcher's Felix and every test or TCK framework that installs reactor-built bundles use it, so that an API
 * version bump needs no edit anywhere else.
 */
public final class ApiExports {
    private static final String API_PACKAGE = InferenceEngine.class.getPackageName();
    private static final String SLF4J_PACKAGE = LoggerFactory.class.getPackageName();

    private ApiExports() {
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}: the API and SLF4J packages. */
    public static String systemPackagesExtra() {
        return apiPackages() + "," + String.join(",", exportsOf(LoggerFactory.class, SLF4J_PACKAGE));
    }

    /** The API packages alone, as {@code org.osgi.framework.system.packages.extra} clauses. */
    public static String apiPackages() {
        return String.join(",", exportsOf(InferenceEngine.class, API_PACKAGE));
    }

    /** The packages under {@code prefix} that the jar holding {@code anchor} exports, with their versions. */
    private static List<String> exportsOf(Class<?> anchor, String prefix) {
        String exportPackage = manifestOf(anchor).getMainAttributes().getValue("Export-Package");
        if (exportPackage == null) {
            throw new IllegalStateException("The jar of " + anchor.getName() + " has no Export-Package header");
        }
        List<String> exports = new ArrayList<>();
        for (String clause : splitClauses(exportPackage)) {
            String packageName = clause.split(";", 2)[0].trim();
            if (packageName.equals(prefix) || packageName.startsWith(prefix + ".")) {
                exports.add(packageName + versionOf(clause));
            }
        }
        return exports;
    }

    private static String versionOf(String clause) {
        for (String attribute : clause.split(";")) {
            String trimmed = attribute.trim();
            if (trimmed.startsWith("version=")) {
                return ";version=" + trimmed.substring("version=".length()).replace("\"", "");
            }
        }
        return "";
    }

    /** Splits a manifest header at the commas that are not inside quotes. */
    public static List<String> splitClauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        clauses.add(current.toString());
        return clauses;
    }

    private static Manifest manifestOf(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + anchor.getName() + "'s jar", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the jar of " + anchor.getName(), e);
        }
    }
}
