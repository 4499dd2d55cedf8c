package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/rerank} on a real server: SmolLM2 launched as a rerank model ({@code model_type} rerank) on the
 * llama-server backend, which ranks with {@code --reranking}. SmolLM2 has no classification head, so llama-server's
 * score is the first component of its last hidden state: the ranking means nothing, and the test checks the wire
 * (Xinference's shape, ordering, {@code top_n}, documents, token count) and the refusals, not the ranking's quality.
 */
final class RerankTest {
    private static final List<String> DOCUMENTS = List.of("Paris is the capital of France.",
            "Berlin is the capital of Germany.", "The cat sat on the mat.");

    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        System.setProperty("jinference.llamacpp.server", LlamaServerBinary.require().toString());
        server = TestServers.start(home);
        http = new Http(server.port());
        launch(Map.of("model_type", "rerank", "model_backend", "server", "model_uid", "reranker"));
        launch(Map.of("model_backend", "jvm", "model_uid", "chat"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.llamacpp.server");
    }

    private static void launch(Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("model_name", "smollm2-instruct", "model_format", "ggufv2",
                "model_path", SmolLm2ChatTest.smolLm2().toString(), "model_engine", "llama.cpp", "n_parallel", 1));
        body.putAll(more);
        Http.Answer launched = http.post("/v1/models", body);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
    }

    private static Http.Answer rerank(Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("model", "reranker", "query",
                "What is the capital of France?", "documents", DOCUMENTS));
        body.putAll(more);
        return http.post("/v1/rerank", body);
    }

    @Test
    void aRerankModelIsDescribedAsXinferenceDescribesOne() {
        assertThat(http.get("/v1/models/reranker").json().path("model_type").asText()).isEqualTo("rerank");
        assertThat(http.get("/v1/models/chat").json().path("model_type").asText()).isEqualTo("LLM");
    }

    @Test
    void ranksEveryDocumentMostRelevantFirst() {
        Http.Answer answer = rerank(Map.of());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode results = answer.json().path("results");
        assertThat(answer.json().path("id").asText()).isNotBlank();
        assertThat(results.findValuesAsText("index")).containsExactlyInAnyOrder("0", "1", "2");
        List<Double> scores = new ArrayList<>();
        results.forEach(result -> {
            scores.add(result.path("relevance_score").asDouble());
            assertThat(result.path("document").isNull()).isTrue();
        });
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(answer.json().at("/meta/tokens").isNull()).isTrue();
    }

    @Test
    void topNDocumentsAndTokenCount() {
        Http.Answer answer = rerank(Map.of("top_n", 2, "return_documents", true, "return_len", true));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode results = answer.json().path("results");
        assertThat(results.size()).isEqualTo(2);
        results.forEach(result -> assertThat(result.at("/document/text").asText())
                .isEqualTo(DOCUMENTS.get(result.path("index").asInt())));
        assertThat(answer.json().at("/meta/tokens/input_tokens").asInt()).isPositive();
    }

    /** xinference-client sends every argument, unset ones as null, and its extra arguments as a JSON string. */
    @Test
    void xinferenceClientsNullsAndEmptyKwargsAreAccepted() {
        Map<String, Object> body = new HashMap<>();
        body.put("top_n", null);
        body.put("max_chunks_per_doc", null);
        body.put("return_documents", null);
        body.put("return_len", null);
        body.put("kwargs", "{}");
        Http.Answer answer = rerank(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("results").size()).isEqualTo(3);
    }

    @Test
    void whatCannotBeHonouredIsA400NamingIt() {
        assertRefused(rerank(Map.of("max_chunks_per_doc", 2)), "max_chunks_per_doc", "chunked");
        assertRefused(rerank(Map.of("kwargs", "{\"instruction\": \"x\"}")), "kwargs", "instruction");
        assertRefused(rerank(Map.of("instruction", "x")), "instruction", "Unknown rerank parameters");
        assertRefused(rerank(Map.of("documents", List.of(Map.of("image", "x")))), "documents", "multimodal");
        assertRefused(rerank(Map.of("documents", List.of())), "documents", "non-empty");
        assertRefused(rerank(Map.of("top_n", 0)), "top_n", "at least 1");
        assertRefused(rerank(Map.of("model", "chat")), "model", "lacks the ability 'rerank'");
    }

    private static void assertRefused(Http.Answer answer, String param, String says) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().at("/error/param").asText()).isEqualTo(param);
        assertThat(answer.detail()).contains(says);
    }
}
