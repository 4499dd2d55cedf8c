package io.jinference.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.ChatMessage;
import io.jinference.api.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChatTemplateRendererTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("system", "You are terse."),
            new ChatMessage("user", "What is the capital of France?"));

    private final ChatTemplateRenderer renderer = new ChatTemplateRenderer();

    @Test
    void aTemplateLoopingOverThreeNestedRangesIsStoppedWithAClearError() {
        ChatTemplateRenderer bounded = new ChatTemplateRenderer(java.time.Duration.ofMillis(300));
        String looping = "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}done";
        assertThatThrownBy(() -> bounded.render(looping, CONVERSATION, Map.of()))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST))
                .hasMessageContaining("did not finish rendering within 300 ms");
        // the same renderer goes on rendering well-behaved templates: the deadline belongs to one render only
        assertThat(bounded.render("{% for m in messages %}{{ m.content }}{% endfor %}", CONVERSATION, Map.of()))
                .contains("What is the capital of France?");
    }

    /**
     * A runaway that fills the output limit before the time limit is the same runaway: the engines' launch guards
     * (which keep llama.cpp from rendering such a template natively, without a limit) look for these words.
     */
    @Test
    void aTemplateWritingTooMuchIsStoppedWithTheSameWordsAsOneTooSlow() {
        String flooding = "{% for i in range(1000) %}{% for j in range(1000) %}{{ 'xxxxxxxxxxxxxxxxxxxx' }}"
                + "{% endfor %}{% endfor %}";
        assertThatThrownBy(() -> renderer.render(flooding, CONVERSATION, Map.of()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("did not finish rendering: its output passed 8388608 characters");
    }

    @Test
    void rendersTheChatMlTemplateOfSmolLm2() throws IOException {
        String prompt = renderer.render(resource("smollm2-chatml.jinja"), CONVERSATION, Map.of());

        assertThat(prompt).isEqualTo("<|im_start|>system\nYou are terse.<|im_end|>\n"
                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void chatMlAddsItsDefaultSystemPromptAndHonoursAddGenerationPrompt() throws IOException {
        String prompt = renderer.render(resource("smollm2-chatml.jinja"), List.of(new ChatMessage("user", "Hi")),
                Map.of("add_generation_prompt", false));

        assertThat(prompt).isEqualTo("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by "
                + "Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
    }

    @Test
    void rendersTheLlama3Template() throws IOException {
        List<ChatMessage> messages = List.of(new ChatMessage("system", "  Be brief.  "),
                new ChatMessage("user", "Hello"), new ChatMessage("assistant", "Hi!"), new ChatMessage("user", "Bye"));

        String prompt = renderer.render(resource("llama-3-instruct.jinja"), messages, Map.of());

        assertThat(prompt).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHi!<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    /**
     * Every template of Xinference's catalog renders (Kimi-K2.5's slice arithmetic and seed-oss's number and boolean
     * comparison used to fail); CatalogChatTemplatesMatchTransformersTest compares them with transformers byte for byte.
     */
    @Test
    void rendersEveryChatTemplateOfXinferencesCatalog() throws IOException {
        Map<String, String> templates = new ObjectMapper().readValue(resource("xinference-chat-templates.json"),
                new TypeReference<TreeMap<String, String>>() { });
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> entry : templates.entrySet()) {
            try {
                String prompt = renderer.render(entry.getValue(), CONVERSATION,
                        Map.of("bos_token", "<s>", "eos_token", "</s>"));
                if (!prompt.contains("What is the capital of France?")) {
                    failures.add(entry.getKey() + ": user message missing from " + prompt);
                }
            } catch (EngineException e) {
                failures.add(entry.getKey() + ": " + e.getMessage());
            }
        }
        assertThat(templates).hasSizeGreaterThan(80);
        assertThat(failures).isEmpty();
    }

    @Test
    void pythonStringMethodsWorkOnStrings() {
        String template = "{{ messages[0].content.strip() }}|{{ messages[0].content.lstrip() }}|"
                + "{{ messages[0].content.rstrip() }}|{{ messages[0].content.strip(' x') }}|"
                + "{{ messages[0].role.startswith('sys') }}|{{ messages[0].role.endswith(('em', 'zz')) }}|"
                + "{{ messages[0].role.upper() }}|{{ 'a.b.c'.split('.')|length }}|{{ ' a  b '.split()|join(',') }}|"
                + "{{ '-'.join(['x', 'y']) }}|{{ 'hello world'.title() }}|{{ 'banana'.count('an') }}";

        String out = renderer.render(template, List.of(new ChatMessage("system", " x hi x ")), Map.of());

        assertThat(out).isEqualTo("x hi x|x hi x | x hi x|hi|True|True|SYSTEM|3|a,b|x-y|Hello World|2");
    }

    /** Booleans and floats print as Python's str() prints them, as literals, variables, filtered and in dicts. */
    @Test
    void booleansAndFloatsPrintAsInPython() {
        String template = "{{ true }}|{{ false }}|{{ add_generation_prompt }}|{{ flag }}|{{ 1 == 1 }}|"
                + "{{ flag|string }}|{{ (flag|string) == 'False' }}|{{ 0.5 }}|{{ small }}|{{ {'a': true} }}|"
                + "{{ [false, none] }}|{{ 3 }}|{{ 'text' }}";

        String out = renderer.render(template, List.of(new ChatMessage("user", "hi")),
                Map.of("flag", false, "small", 0.00001));

        assertThat(out).isEqualTo("True|False|True|False|True|False|True|0.5|1e-05|{'a': True}|[False, None]|3|text");
    }

    /** Python-Jinja behaviours Jinjava lacks, each as Jinja 3.1 with transformers' settings renders it. */
    @Test
    void pythonJinjaSemanticsJinjavaLacks() {
        List<ChatMessage> one = List.of(new ChatMessage("user", "u"));
        // {{- strips the newline and indentation before it; lstrip_blocks only at the start of a line
        assertThat(renderer.render("{%- if true %}\n    {{- 'A' }}\n{%- endif %} {% if true %}B{% endif %}", one,
                Map.of())).isEqualTo("A B");
        // not binds looser than ==, n+1 is an addition
        assertThat(renderer.render("{{ 'yes' if not messages|length == 2 }} {{ messages|length+1 }}", one, Map.of()))
                .isEqualTo("yes 2");
        // tojson as json.dumps (separators, key order, no ASCII escaping), with indent
        assertThat(renderer.render("{{ {'b': 1, 'a': [1.5, 'Zü']}|tojson }}|{{ {'a': 1}|tojson(indent=2) }}", one,
                Map.of())).isEqualTo("{\"b\": 1, \"a\": [1.5, \"Zü\"]}|{\n  \"a\": 1\n}");
        // loop.previtem, loop filters, slices with computed bounds, dict methods
        assertThat(renderer.render("{% for m in messages %}{{ loop.previtem.content if loop.previtem else '-' }}"
                + "{% endfor %}|{% for i in [1, 2, 3] if i != 2 %}{{ i }}{% endfor %}|{{ [1, 2, 3][:messages|length+1] }}",
                List.of(new ChatMessage("user", "a"), new ChatMessage("assistant", "b")), Map.of()))
                .isEqualTo("-a|13|[1, 2, 3]");
    }

    /** Tool calls reach templates as transformers passes them: arguments as a dict, printed as Python prints it. */
    @Test
    void toolCallsAndToolsReachTheTemplateInTransformersShape() {
        List<ChatMessage> messages = List.of(new ChatMessage("user", "weather?"),
                new ChatMessage("assistant", "", List.of(new io.jinference.api.ToolCall("c1", "get_weather",
                        "{\"city\": \"Paris\", \"days\": 2}")), null),
                new ChatMessage("tool", "sunny", List.of(), "c1"));
        String template = "{% for m in messages %}{% for c in m.tool_calls or [] %}{{ c.function.name }}"
                + "{{ c.function.arguments }}{{ c.function.arguments|tojson }}{% endfor %}"
                + "{% if m.role == 'tool' %}[{{ m.name }}:{{ m.tool_call_id }}]{% endif %}{% endfor %}"
                + "{{ tools[0].function.name }}";

        String out = renderer.render(template, messages, Map.of("tools", List.of(new io.jinference.api.ToolDefinition(
                "get_weather", "Weather", Map.of("type", "object"), false))));

        assertThat(out).isEqualTo("get_weather{'city': 'Paris', 'days': 2}{\"city\": \"Paris\", \"days\": 2}"
                + "[get_weather:c1]get_weather");
    }

    @Test
    void raiseExceptionBecomesAnInvalidRequestWithTheTemplatesMessage() throws IOException {
        Map<String, String> templates = new ObjectMapper().readValue(resource("xinference-chat-templates.json"),
                new TypeReference<Map<String, String>>() { });
        List<ChatMessage> notAlternating = List.of(new ChatMessage("user", "a"), new ChatMessage("user", "b"));

        assertThatThrownBy(() -> renderer.render(resource("llama-2-chat.jinja"), notAlternating, Map.of()))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST))
                .hasMessageContaining("Conversation roles must alternate user/assistant/user/assistant");
    }

    @Test
    void brokenTemplateSyntaxIsAnInvalidRequest() {
        assertThatThrownBy(() -> renderer.render("{% for m in messages %}{{ m.content }}", CONVERSATION, Map.of()))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST))
                .hasMessageStartingWith("The chat template failed");
    }

    @Test
    void strftimeNowFormatsTheCurrentDate() {
        String out = renderer.render("{{ strftime_now('%d %b %Y') }}", CONVERSATION, Map.of());

        assertThat(out).matches("\\d\\d [A-Z][a-z]{2} \\d{4}");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ChatTemplateRendererTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
