package io.jinference.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the Prometheus text of several engine servers into one exposition, each sample labelled with the model
 * and engine it came from. Prometheus wants every family's samples together under one {@code # HELP} and one
 * {@code # TYPE}, so samples are grouped by family across servers.
 */
final class PrometheusRelabel {
    /** One metric family: its comment lines (from the first server that described it) and every sample. */
    private static final class Family {
        final List<String> comments = new ArrayList<>();
        final List<String> samples = new ArrayList<>();
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** Adds one server's exposition; {@code labels} are pairs of name and value. */
    void add(String exposition, String... labels) {
        String inserted = labels(labels);
        String current = null;
        List<String> described = new ArrayList<>();
        for (String raw : exposition.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("# EOF")) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String name = line.substring(7).split(" ", 2)[0];
                current = name;
                Family family = families.computeIfAbsent(name, key -> new Family());
                if (!described.contains(name + line.substring(0, 6))) {
                    described.add(name + line.substring(0, 6));
                    if (family.comments.stream().noneMatch(comment -> comment.startsWith(line.substring(0, 7)))) {
                        family.comments.add(line);
                    }
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            String sampleName = sampleName(line);
            String familyName = current != null && sampleName.startsWith(current) ? current : sampleName;
            families.computeIfAbsent(familyName, key -> new Family()).samples.add(relabel(line, sampleName, inserted));
        }
    }

    String text() {
        StringBuilder text = new StringBuilder();
        for (Family family : families.values()) {
            if (family.samples.isEmpty()) {
                continue;
            }
            family.comments.forEach(comment -> text.append(comment).append('\n'));
            family.samples.forEach(sample -> text.append(sample).append('\n'));
        }
        return text.toString();
    }

    private static String sampleName(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        return line.substring(0, end);
    }

    private static String relabel(String line, String name, String inserted) {
        String rest = line.substring(name.length());
        if (rest.startsWith("{")) {
            String existing = rest.substring(1);
            return name + "{" + inserted + (existing.startsWith("}") ? "" : ",") + existing;
        }
        return name + "{" + inserted + "}" + rest;
    }

    /** A label value as the text format writes it. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String labels(String... pairs) {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (labels.length() > 0) {
                labels.append(',');
            }
            labels.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
        }
        return labels.toString();
    }
}
