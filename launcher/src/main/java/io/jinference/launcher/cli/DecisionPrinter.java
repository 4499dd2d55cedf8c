package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints the explain JSON of a selection decision for people. */
final class DecisionPrinter {
    private DecisionPrinter() {
    }

    static void print(JsonNode decision, PrintWriter out) {
        out.println("Model " + decision.path("model_name").asText() + " (policy: " + decision.path("policy").asText()
                + ")");
        for (JsonNode candidate : decision.path("candidates")) {
            String engine = candidate.path("engine").asText() + " " + candidate.path("engine_version").asText()
                    + (candidate.path("backend").isTextual() ? " (" + candidate.path("backend").asText() + ")" : "");
            if (candidate.path("available").asBoolean()) {
                out.println("  " + engine + ": can run");
                for (JsonNode spec : candidate.path("specs")) {
                    out.println("      " + spec.path("model_format").asText() + " "
                            + spec.path("model_size_in_billions").asText() + "B " + spec.path("quantizations"));
                }
            } else {
                out.println("  " + engine + ": cannot run");
                for (JsonNode reason : candidate.path("reasons")) {
                    out.println("      " + reason.path("code").asText() + ": " + reason.path("message").asText());
                }
            }
        }
        JsonNode choice = decision.path("choice");
        if (choice.isMissingNode() || choice.isNull()) {
            out.println("Choice: none");
        } else {
            out.println("Choice: " + choice.path("engine").asText() + " " + choice.path("engine_version").asText()
                    + (choice.path("backend").isTextual() ? " (" + choice.path("backend").asText() + ")" : "") + " with " + choice.path("model_format").asText() + " "
                    + choice.path("model_size_in_billions").asText() + "B " + choice.path("quantization").asText());
            out.println("Why: " + choice.path("why").asText());
        }
        out.println(decision.path("explanation").asText());
    }
}
