package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json}, served by the real server, against the routes Javalin actually registered: every route
 * documented, every documented operation served, every path parameter declared and every {@code $ref} resolvable.
 * A failure lists the exact {@code METHOD path} to add to (or remove from)
 * {@code launcher/src/main/resources/io/jinference/launcher/rest/openapi.yaml}.
 */
final class OpenApiRoutesTest {
    private static final String SPEC_FILE = "launcher/src/main/resources/io/jinference/launcher/rest/openapi.yaml";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    @TempDir
    static Path home;
    static JinferenceServer server;
    static JsonNode spec;

    @BeforeAll
    static void start() {
        server = TestServers.start(home);
        Http.Answer answer = new Http(server.port()).get("/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        spec = answer.json();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void isAnOpenApi3DocumentWithTheErrorShape() {
        assertThat(spec.path("openapi").asText()).startsWith("3.");
        JsonNode error = spec.at("/components/schemas/ErrorBody/properties");
        assertThat(error.has("detail")).as("Xinference's detail").isTrue();
        assertThat(error.at("/error/properties").has("message")).as("OpenAI's error.message").isTrue();
    }

    @Test
    void everyRouteJavalinServesIsDocumented() {
        Set<String> missing = new TreeSet<>(served());
        missing.removeAll(documented());
        assertThat(missing).as("Routes the server registers but " + SPEC_FILE + " does not document; add under "
                + "`paths` an operation for each of:\n  " + String.join("\n  ", missing) + "\n").isEmpty();
    }

    @Test
    void everyDocumentedOperationIsServed() {
        Set<String> extra = new TreeSet<>(documented());
        extra.removeAll(served());
        assertThat(extra).as(SPEC_FILE + " documents operations the server does not register; remove (or register) "
                + "each of:\n  " + String.join("\n  ", extra) + "\n").isEmpty();
    }

    @Test
    void everyOperationDeclaresItsPathParametersAndItsErrors() {
        List<String> problems = new ArrayList<>();
        forEachOperation((route, pathItem, operation) -> {
            Set<String> declared = new TreeSet<>();
            for (JsonNode list : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
                list.forEach(parameter -> {
                    JsonNode resolved = resolve(parameter);
                    if ("path".equals(resolved.path("in").asText())) {
                        declared.add(resolved.path("name").asText());
                    }
                });
            }
            Set<String> inTemplate = new TreeSet<>();
            Matcher matcher = PATH_PARAM.matcher(route.substring(route.indexOf(' ') + 1));
            while (matcher.find()) {
                inTemplate.add(matcher.group(1));
            }
            if (!declared.equals(inTemplate)) {
                problems.add(route + ": path parameters declared " + declared + ", template has " + inTemplate);
            }
            if (!operation.path("responses").has("4XX")) {
                problems.add(route + ": no '4XX' response ($ref: '#/components/responses/Error')");
            }
        });
        assertThat(problems).as("operations of " + SPEC_FILE).isEmpty();
    }

    @Test
    void everyReferenceResolves() {
        List<String> dangling = new ArrayList<>();
        collectDangling(spec, dangling);
        assertThat(dangling).as("$ref targets missing from " + SPEC_FILE).isEmpty();
    }

    private static void collectDangling(JsonNode node, List<String> dangling) {
        if (node.has("$ref") && node.get("$ref").isTextual() && spec.at(pointer(node)).isMissingNode()) {
            dangling.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectDangling(child, dangling));
    }

    private static String pointer(JsonNode reference) {
        return reference.get("$ref").asText().replaceFirst("^#", "");
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? spec.at(pointer(node)) : node;
    }

    private static Set<String> served() {
        return new TreeSet<>(server.routes());
    }

    private static Set<String> documented() {
        Set<String> documented = new TreeSet<>();
        forEachOperation((route, pathItem, operation) -> documented.add(route));
        return documented;
    }

    private interface OperationVisitor {
        void visit(String route, JsonNode pathItem, JsonNode operation);
    }

    private static void forEachOperation(OperationVisitor visitor) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(field -> {
                if (METHODS.contains(field.getKey())) {
                    visitor.visit(field.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), path.getValue(),
                            field.getValue());
                }
            });
        }
    }
}
