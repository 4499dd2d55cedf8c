package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.launcher.rest.RestSecurity;
import io.jinference.security.Access;
import io.jinference.security.AccessPolicy;
import io.jinference.security.ApiKeyFile;
import io.jinference.security.ApiKeys;
import io.jinference.security.Role;
import io.jinference.security.RouteAccess;
import io.jinference.template.ChatTemplateRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the server registered (read from Javalin's router, so a route added later cannot escape), called over
 * real HTTP with no key, a wrong key, a user key for its model, the same user key for another model, and an admin
 * key. A refusal must be 401 or 403 as the route table says; an allowed call may fail for its own reasons (no such
 * model, no such bundle) but never with 401 or 403. Zero bypasses.
 */
final class RouteAccessMatrixTest {
    private static final String ALLOWED = "allowed-model";
    private static final String OTHER = "other-model";

    @TempDir
    static Path home;
    static JinferenceServer server;
    static RawHttp http;
    static String adminKey;
    static String userKey;

    @BeforeAll
    static void start() {
        ApiKeyFile keys = new ApiKeyFile(home.resolve("api-keys.json"));
        adminKey = keys.create(Role.ADMIN, List.of());
        userKey = keys.create(Role.USER, List.of(ALLOWED));
        Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
        RestSecurity security = RestSecurity.open().withAccess(new AccessPolicy(new ApiKeys(keys), false));
        server = JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1", 0, null,
                new ChatTemplateRenderer()::render, security, false);
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private enum Caller {
        NO_KEY, WRONG_KEY, USER_ALLOWED_MODEL, USER_OTHER_MODEL, ADMIN
    }

    @Test
    void everyRegisteredRouteIsInTheRoleTable() {
        List<String> routes = server.routes();
        assertThat(routes).contains("GET /status", "POST /v1/engine-bundles", "POST /v1/chat/completions");
        assertThat(routes).allSatisfy(route -> {
            String[] parts = route.split(" ", 2);
            assertThat(RouteAccess.listed(parts[0], parts[1])).as(route + " is missing from RouteAccess").isPresent();
        });
    }

    @Test
    void everyRouteAnswersEveryCallerAsTheTableSays() {
        List<String> bypasses = new ArrayList<>();
        int calls = 0;
        for (String route : server.routes()) {
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            Access access = RouteAccess.of(method, template).access();
            for (Caller caller : Caller.values()) {
                String model = caller == Caller.USER_OTHER_MODEL ? OTHER : ALLOWED;
                RawHttp.Answer answer = http.json(method, path(template, model), key(caller),
                        method.equals("GET") || method.equals("DELETE") ? null : body(model));
                calls++;
                int expected = expected(access, caller);
                boolean ok = expected == 0 ? answer.status() != 401 && answer.status() != 403 && answer.status() < 500
                        : answer.status() == expected;
                if (!ok) {
                    bypasses.add(route + " as " + caller + ": expected " + (expected == 0 ? "allowed" : expected)
                            + ", got " + answer.status() + " " + answer.body());
                }
                if (answer.status() == 401 || answer.status() == 403) {
                    assertThat(answer.json().path("error").path("message").asText()).as(route).isNotBlank();
                    assertThat(answer.json().path("detail").asText()).as(route).isNotBlank();
                }
            }
        }
        System.out.println("Route matrix: " + calls + " calls over " + server.routes().size() + " routes, "
                + bypasses.size() + " bypasses");
        assertThat(bypasses).as("bypasses").isEmpty();
    }

    @Test
    void clusterAuthTellsTheTruth() {
        assertThat(http.json("GET", "/v1/cluster/auth", userKey, null).json().path("auth").asBoolean(false)).isTrue();
    }

    @Test
    void anActivatorBundleWithoutAnAdminKeyIsRefusedAndNothingIsInstalled() {
        byte[] jar = TestJars.bundle("evil.activator", Map.of("Bundle-Activator", "evil.Activator"));
        int before = http.json("GET", "/v1/engine-bundles", adminKey, null).json().path("bundles").size();
        for (String key : new String[] {null, "jinf-wrong", userKey}) {
            Map<String, String> headers = key == null ? Map.of("Content-Type", "application/java-archive")
                    : Map.of("Content-Type", "application/java-archive", "Authorization", "Bearer " + key);
            int status = http.send("POST", "/v1/engine-bundles", headers, jar).status();
            assertThat(status).isIn(401, 403);
        }
        assertThat(http.json("GET", "/v1/engine-bundles", adminKey, null).json().path("bundles").size())
                .isEqualTo(before);
        assertThat(http.json("GET", "/status", null, null).status()).isEqualTo(200);
    }

    /** 0: allowed; else the status the refusal must have. */
    private static int expected(Access access, Caller caller) {
        if (access == Access.PUBLIC || caller == Caller.ADMIN) {
            return 0;
        }
        if (caller == Caller.NO_KEY || caller == Caller.WRONG_KEY) {
            return 401;
        }
        return switch (access) {
            case ANY_KEY -> 0;
            case MODEL -> caller == Caller.USER_ALLOWED_MODEL ? 0 : 403;
            default -> 403;
        };
    }

    private static String key(Caller caller) {
        return switch (caller) {
            case NO_KEY -> null;
            case WRONG_KEY -> "jinf-not-a-key-of-this-server";
            case USER_ALLOWED_MODEL, USER_OTHER_MODEL -> userKey;
            case ADMIN -> adminKey;
        };
    }

    /** Path parameters filled in: model names with the caller's model, ids that exist nowhere (nothing changes). */
    private static String path(String template, String model) {
        return template.replaceAll("\\{model_uid}|\\{model_name}", model).replace("{model_type}", "LLM")
                .replaceAll("\\{[^}]+}", "999999");
    }

    /** One body that names the model for every route that reads one, and is harmless everywhere else. */
    private static String body(String model) {
        return "{\"model\": \"" + model + "\", \"model_uid\": \"" + model + "\", \"model_name\": \"" + model
                + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"prompt\": \"hi\", \"input\": \"hi\","
                + " \"max_tokens\": 1}";
    }
}
