package io.jinference.hotplug.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * A bundle jar rebuilt at the next micro version: the same classes with {@code Bundle-Version} and the engine
 * capability's version set to the next micro version of the engine, as a release of the same engine would be.
 */
final class RebuiltJar {
    private RebuiltJar() {
    }

    private static final Pattern ENGINE_VERSION = Pattern.compile("version:Version=\"([^\"]+)\"");

    /** The engine version the jar's capability declares (what launches select by). */
    static String engineVersion(Path jar) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            return engineVersion(in.getManifest().getMainAttributes());
        }
    }

    private static String engineVersion(Attributes main) {
        Matcher matcher = ENGINE_VERSION.matcher(main.getValue("Provide-Capability"));
        if (!matcher.find()) {
            throw new IllegalArgumentException("No engine capability version in " + main.getValue("Bundle-Version"));
        }
        return matcher.group(1);
    }

    /** Writes {@code jar} at its next micro version to {@code target}; returns the new engine version. */
    static String nextMicro(Path jar, Path target) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            Attributes main = manifest.getMainAttributes();
            String next = nextMicro(engineVersion(main));
            main.putValue("Bundle-Version", next);
            main.putValue("Provide-Capability", ENGINE_VERSION.matcher(main.getValue("Provide-Capability"))
                    .replaceFirst("version:Version=\"" + next + "\""));
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
                copyEntries(in, out);
            }
            return next;
        }
    }

    private static String nextMicro(String version) {
        Version parsed = Version.parseVersion(version);
        return new Version(parsed.getMajor(), parsed.getMinor(), parsed.getMicro() + 1).toString();
    }

    private static void copyEntries(JarInputStream in, JarOutputStream jar) throws IOException {
        for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
            jar.putNextEntry(new JarEntry(entry.getName()));
            in.transferTo(jar);
            jar.closeEntry();
        }
    }
}
