package io.jinference.hotplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.hotplug.FixtureBundles;
import io.jinference.hotplug.TestBundleJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken bundle gets a clear 4xx over REST, nothing of it stays installed, and the server serves on. */
class BrokenBundlesTest {

    private static final String ROUTE = "/v1/engine-bundles";

    @TempDir
    static Path home;
    static TestServer server;
    static Rest rest;
    static FixtureBundles jars;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(home);
        rest = server.rest;
        jars = new FixtureBundles(Files.createDirectories(home.resolve("fixtures")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A broken jar dropped into the folder FileInstall watches is rolled back and listed with its reason. */
    @Test
    void listsBrokenFolderDropsWithTheirReason() throws Exception {
        server.drop(jars.missingImport(), "missing-import.jar");
        server.drop(jars.throwingActivator(), "throwing.jar");
        TestServer.await("both drops are refused",
                () -> rest.get(ROUTE).json().path("folder_rejected").size() == 2);

        var rejected = rest.get(ROUTE).json().path("folder_rejected");
        assertThat(rejected.path("missing-import.jar").asText()).contains("com.example.nowhere");
        assertThat(rejected.path("throwing.jar").asText()).contains("the engine's activator exploded");
        assertThat(rest.get("/status").status()).isEqualTo(200);
        for (var bundle : rest.get(ROUTE).json().path("bundles")) {
            assertThat(bundle.path("symbolic_name").asText() + " " + bundle.path("version").asText())
                    .as("nothing of a refused drop stays installed").isNotEqualTo("fixture.engine 1.0.0");
        }

        server.deleteDrop("missing-import.jar");
        server.deleteDrop("throwing.jar");
        TestServer.await("deleted drops are no longer listed",
                () -> rest.get(ROUTE).json().path("folder_rejected").isEmpty());
    }

    private static Rest.Answer upload(Path jar) throws Exception {
        return rest.upload(ROUTE + "?name=" + jar.getFileName(), "POST", Files.readAllBytes(jar));
    }

    private static void assertRefused(Rest.Answer answer, int status, String reason) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(status);
        assertThat(answer.detail()).contains(reason);
        assertThat(rest.get("/status").status()).isEqualTo(200);
        assertThat(rest.get(ROUTE).json().path("bundles").findValuesAsText("symbolic_name"))
                .as("nothing of a refused bundle stays installed").doesNotContain("fixture.runtime")
                .filteredOn("fixture.engine"::equals).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void refusesFilesThatAreNoBundles() throws Exception {
        assertRefused(rest.upload(ROUTE + "?name=notes.txt", "POST", "hello".getBytes(StandardCharsets.UTF_8)), 400,
                "notes.txt is not a jar file");
        Path plain = TestBundleJar.write(home.resolve("plain.jar"), Map.of("Created-By", "javac"));
        assertRefused(upload(plain), 400, "plain.jar is a plain jar, not an OSGi bundle");
        assertRefused(rest.post(ROUTE, Map.of("path", home.resolve("nowhere.jar").toString())), 400,
                "No bundle jar at that path");
    }

    @Test
    void refusesBundlesThatDoNotResolveOrStart() throws Exception {
        assertRefused(upload(jars.missingImport()), 422, "com.example.nowhere");
        assertRefused(upload(jars.foreignNatives()), 422, "osgi.native");
        assertRefused(upload(jars.throwingActivator()), 422, "the engine's activator exploded");
    }

    @Test
    void refusesMalformedCapabilityHeaders() throws Exception {
        assertRefused(upload(jars.capability("io.jinference.engine;engine=\"unterminated")), 400,
                "was refused by the framework");
        assertRefused(upload(jars.capability("io.jinference.engine;engine=fixture;version:Version=1")), 400,
                "required attribute 'formats' is missing");
    }

    @Test
    void refusesADuplicateAndAnInPlaceRuntimeUpdate() throws Exception {
        var installed = rest.post(ROUTE, Map.of("path", jars.engine("3.0.0").toString()));
        assertThat(installed.status()).as(installed.json().toString()).isEqualTo(201);
        assertRefused(rest.post(ROUTE, Map.of("path", jars.engine("3.0.0").toString())), 409, "is already installed");

        var runtime = upload(jars.runtime());
        assertThat(runtime.status()).isEqualTo(201);
        assertThat(runtime.json().path("role").asText()).isEqualTo("runtime");
        long id = runtime.json().path("id").asLong();
        assertThat(rest.upload(ROUTE + "/" + id, "PUT", Files.readAllBytes(jars.runtime())).detail())
                .contains("restart the server");
        assertThat(rest.delete(ROUTE + "/" + id).status()).isEqualTo(200);
        assertThat(rest.delete(ROUTE + "/" + installed.json().path("id").asLong()).status()).isEqualTo(200);
    }

    @Test
    void answersBadRequestsWithJsonDetails() {
        assertThat(rest.get(ROUTE + "/abc").status()).isEqualTo(400);
        assertThat(rest.get(ROUTE + "/9999").status()).isEqualTo(404);
        assertThat(rest.delete(ROUTE + "/0").status()).isEqualTo(403);
        var noBody = rest.post(ROUTE, List.of());
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.detail()).isNotBlank();
    }
}
