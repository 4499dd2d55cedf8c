package io.jinference.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.ChatMessage;
import io.jinference.api.EngineException;
import io.jinference.api.ModelFamily;
import io.jinference.api.ToolCall;
import io.jinference.api.ToolDefinition;
import io.jinference.catalog.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chat template of the built-in catalog, rendered by Jinference for a set of conversations (one user turn,
 * system and user, multi-turn with and without system, tools given, a tool call and its result), must give exactly
 * the bytes Hugging Face transformers' {@code apply_chat_template(..., add_generation_prompt=True)} gives. The
 * references are made by transformers itself ({@code scripts/chat-template-reference.py}, run by
 * {@code scripts/prepare-test-models.sh}) into {@code $JINFERENCE_CACHE/chat-template-reference/reference.json}.
 * Where transformers refuses a conversation (the template raises, e.g. Gemma's "System role not supported"),
 * Jinference must refuse it too, with an INVALID_REQUEST.
 */
class CatalogChatTemplatesMatchTransformersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String STR_PLUS_DICT = "Jinjava's + joins a string and a dict (writing the dict), where "
            + "Python raises TypeError: the template concatenates a tool call's arguments, which transformers (and "
            + "vLLM) pass as a dict, so transformers refuses the conversation and Jinference renders it";
    private static final String UNDEFINED_IS_NONE = "Jinjava has no Undefined apart from None: the template sets "
            + "a namespace attribute from a missing key (tool_calls[-1].name) and tests it with 'is none', true in "
            + "Jinjava, false in Jinja, so Jinference refuses the tool result that transformers renders";

    /**
     * Renderings where Jinference knowingly differs from transformers ("template / conversation", or a whole
     * template), with the reason. Every other rendering must match byte for byte, or be refused by both.
     */
    private static final Map<String, String> KNOWN_DIFFERENCES = Map.ofEntries(
            Map.entry("deepseek-r1-distill-qwen / tool_call_and_result", STR_PLUS_DICT),
            Map.entry("deepseek-prover-v2 / tool_call_and_result", STR_PLUS_DICT),
            Map.entry("deepseek-r1-0528-qwen3 / tool_call_and_result", STR_PLUS_DICT),
            Map.entry("DeepSeek-V3.2-Exp / tool_call_and_result", STR_PLUS_DICT),
            Map.entry("MiniMax-M2 / tool_call_and_result", UNDEFINED_IS_NONE),
            Map.entry("MiniMax-M2.5 / tool_call_and_result", UNDEFINED_IS_NONE),
            Map.entry("MiniMax-M2.7 / tool_call_and_result", UNDEFINED_IS_NONE));

    private static JsonNode reference;
    private static ChatTemplateRenderer renderer;

    @BeforeAll
    static void loadReference() throws IOException {
        String cache = System.getenv().getOrDefault("JINFERENCE_CACHE",
                Path.of(System.getProperty("user.home"), ".cache", "jinference").toString());
        Path file = Path.of(cache, "chat-template-reference", "reference.json");
        if (!Files.isRegularFile(file)) {
            fail("No chat template references at " + file + ": run scripts/prepare-test-models.sh (it renders them "
                    + "with Hugging Face transformers)");
        }
        reference = JSON.readTree(file.toFile());
        // transformers' strftime_now was pinned to this instant while the references were made
        LocalDateTime now = LocalDateTime.parse(reference.get("now").asText());
        renderer = new ChatTemplateRenderer(ChatTemplateRenderer.DEFAULT_TIME_LIMIT,
                Clock.fixed(now.toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    }

    @Test
    void everyTemplateOfTheCatalogHasAReference(@TempDir Path home) {
        Set<String> catalogTemplates = new LinkedHashSet<>();
        for (ModelFamily family : ModelCatalog.open(home).families()) {
            if (family.chatTemplate() != null && !family.chatTemplate().isEmpty()) {
                catalogTemplates.add(family.chatTemplate());
            }
        }
        Set<String> referenced = new LinkedHashSet<>();
        reference.get("templates").forEach(entry -> referenced.add(entry.get("template").asText()));

        assertThat(referenced).as("the templates rendered by transformers (stale? run scripts/prepare-test-models.sh)")
                .containsExactlyInAnyOrderElementsOf(catalogTemplates);
        assertThat(catalogTemplates).hasSizeGreaterThan(30);
    }

    @TestFactory
    Stream<DynamicTest> everyCatalogTemplateRendersEveryConversationAsTransformersDoes() {
        return comparisons(reference.get("templates"));
    }

    /** A wider check of the renderer: the templates of Xinference's whole catalog (a test resource). */
    @TestFactory
    Stream<DynamicTest> everyXinferenceTemplateRendersEveryConversationAsTransformersDoes() {
        assertThat(reference.get("xinference_templates")).as("xinference templates").hasSizeGreaterThan(80);
        return comparisons(reference.get("xinference_templates"));
    }

    private static Stream<DynamicTest> comparisons(JsonNode entries) {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode conversations = reference.get("conversations");
        for (JsonNode entry : entries) {
            String template = entry.get("template").asText();
            String family = entry.get("families").get(0).asText();
            Map<String, Object> variables = new LinkedHashMap<>();
            entry.get("variables").fields().forEachRemaining(v -> variables.put(v.getKey(), v.getValue().asText()));
            entry.get("renderings").fields().forEachRemaining(rendering -> {
                String name = family + " / " + rendering.getKey();
                JsonNode conversation = conversations.get(rendering.getKey());
                JsonNode expected = rendering.getValue();
                String known = KNOWN_DIFFERENCES.getOrDefault(name, KNOWN_DIFFERENCES.get(family));
                if (known != null) {
                    tests.add(DynamicTest.dynamicTest(name + " (known difference)",
                            () -> Assumptions.abort("known difference: " + known)));
                } else if (expected.has("prompt")) {
                    String prompt = expected.get("prompt").asText();
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        String rendered = render(template, conversation, variables);
                        assertThat(rendered).as("%s, first difference %s", name, firstDifference(prompt, rendered))
                                .isEqualTo(prompt);
                    }));
                } else {
                    tests.add(DynamicTest.dynamicTest(name + " (transformers refuses: "
                            + expected.get("error").asText() + ")", () -> assertThatThrownBy(
                                    () -> render(template, conversation, variables))
                            .as(name).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind())
                                    .isEqualTo(EngineException.Kind.INVALID_REQUEST))));
                }
            });
        }
        return tests.stream();
    }

    /** Where two prompts part, with a little context: the whole prompts are long. */
    private static String firstDifference(String expected, String actual) {
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 40);
        return "at " + at + ": transformers " + JSON.valueToTree(expected.substring(from, Math.min(expected.length(),
                at + 40))) + ", Jinference " + JSON.valueToTree(actual.substring(from, Math.min(actual.length(),
                at + 40)));
    }

    private static String render(String template, JsonNode conversation, Map<String, Object> templateVariables) {
        Map<String, Object> variables = new LinkedHashMap<>(templateVariables);
        if (conversation.has("tools")) {
            variables.put("tools", tools(conversation.get("tools")));
        }
        return renderer.render(template, messages(conversation.get("messages")), variables);
    }

    /** The conversation as an OpenAI request reaches an engine: tool call arguments are JSON text there. */
    private static List<ChatMessage> messages(JsonNode messages) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode message : messages) {
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode call : message.path("tool_calls")) {
                JsonNode function = call.get("function");
                calls.add(new ToolCall(call.get("id").asText(), function.get("name").asText(),
                        function.get("arguments").toString()));
            }
            out.add(new ChatMessage(message.get("role").asText(), message.get("content").asText(), calls,
                    message.has("tool_call_id") ? message.get("tool_call_id").asText() : null));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<ToolDefinition> tools(JsonNode tools) {
        List<ToolDefinition> out = new ArrayList<>();
        for (JsonNode tool : tools) {
            JsonNode function = tool.get("function");
            out.add(new ToolDefinition(function.get("name").asText(),
                    function.has("description") ? function.get("description").asText() : null,
                    JSON.convertValue(function.get("parameters"), LinkedHashMap.class), false));
        }
        return out;
    }
}
