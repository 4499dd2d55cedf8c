package io.jinference.launcher.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parsers on the answers each family's template teaches: the shapes come from the templates themselves (Qwen2.5
 * and Qwen3's "&lt;tool_call&gt;\n{"name": &lt;function-name&gt;, "arguments": &lt;args-json-object&gt;}\n&lt;/tool_call&gt;",
 * Llama 3.1/3.2's "{"name": function name, "parameters": dictionary of argument name and its value}" and
 * {@code <|python_tag|>}, Mistral's {@code [TOOL_CALLS][...]} and v11's {@code [TOOL_CALLS]name[ARGS]{...}}).
 */
final class ToolCallFormatTest {
    private static final ParsedToolCall PARIS = new ParsedToolCall("get_weather", "{\"city\":\"Paris\"}");
    private static final ParsedToolCall ROME = new ParsedToolCall("get_weather", "{\"city\":\"Rome\"}");

    @Test
    void theFormatIsToldFromTheTemplateText() {
        assertThat(ToolCallFormat.of("{%- if tools %}<tools></tools> ... <tool_call>\\n{\"name\": ...")).contains(
                ToolCallFormat.HERMES);
        assertThat(ToolCallFormat.of("{{- '[AVAILABLE_TOOLS] [' }} ... {{- '[TOOL_CALLS] [' }}"))
                .contains(ToolCallFormat.MISTRAL);
        assertThat(ToolCallFormat.of("{{- '<|python_tag|>' + tool_call.name }}")).contains(ToolCallFormat.LLAMA3_JSON);
        assertThat(ToolCallFormat.of("{{- 'Respond in the format {\"name\": function name, \"parameters\": dictionary "
                + "of argument name and its value}.' }}")).contains(ToolCallFormat.LLAMA3_JSON);
        // SmolLM2's: ChatML without tools
        assertThat(ToolCallFormat.of("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
                + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}")).isEmpty();
        assertThat(ToolCallFormat.of(null)).isEmpty();
    }

    @Test
    void hermesQwenCallsAfterTextAndSeveral() {
        Optional<ToolCallParse> one = ToolCallFormat.HERMES.parse(
                "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
        assertThat(one).contains(new ToolCallParse(null, List.of(PARIS)));

        Optional<ToolCallParse> qwen3 = ToolCallFormat.HERMES.parse("<think>\nThe user asks for two cities.\n</think>"
                + "\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>");
        assertThat(qwen3).contains(new ToolCallParse("<think>\nThe user asks for two cities.\n</think>",
                List.of(PARIS, ROME)));

        // stopped at <|im_end|> right after the JSON, before the closing tag
        assertThat(ToolCallFormat.HERMES.parse("Let me look.\n<tool_call>\n{\"name\": \"get_weather\", "
                + "\"arguments\": {\"city\": \"Paris\"}}")).contains(new ToolCallParse("Let me look.", List.of(PARIS)));
    }

    @Test
    void malformedOrNoCallsAreText() {
        assertThat(ToolCallFormat.HERMES.parse("The weather in Paris is sunny.")).isEmpty();
        assertThat(ToolCallFormat.HERMES.parse("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": "
                + "\"Par</tool_call>")).isEmpty();
        assertThat(ToolCallFormat.HERMES.parse("<tool_call>\n{\"arguments\": {}}\n</tool_call>")).isEmpty();
        assertThat(ToolCallFormat.HERMES.parse("<tool_call>\n[1, 2]\n</tool_call>")).isEmpty();
        assertThat(ToolCallFormat.HERMES.parse("<tool_call>\n{\"name\": \"f\", \"arguments\": 3}\n</tool_call>"))
                .isEmpty();
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("{\"name\": \"get_weather\", \"parameters\": {\"city\": ")).isEmpty();
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("{\"name\": \"get_weather\"} and then some words")).isEmpty();
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("Paris is sunny {\"name\": \"get_weather\"}")).isEmpty();
        assertThat(ToolCallFormat.MISTRAL.parse("[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {")).isEmpty();
        assertThat(ToolCallFormat.MISTRAL.parse("[TOOL_CALLS] []")).isEmpty();
        assertThat(ToolCallFormat.MISTRAL.parse("[TOOL_CALLS]get_weather{\"city\": \"Paris\"}")).isEmpty();
    }

    @Test
    void llama3JsonAnswersAndThePythonTag() {
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}"))
                .contains(new ToolCallParse(null, List.of(PARIS)));
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("\n {\"name\": \"get_weather\", \"parameters\": {\"city\": "
                + "\"Paris\"}}; {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}"))
                .contains(new ToolCallParse(null, List.of(PARIS, ROME)));
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("I will check.<|python_tag|>{\"name\": \"get_weather\", "
                + "\"parameters\": {\"city\": \"Paris\"}}")).contains(new ToolCallParse("I will check.", List.of(PARIS)));
        // arguments already encoded as a string, as some fine-tunes write them
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("{\"name\": \"get_weather\", \"arguments\": "
                + "\"{\\\"city\\\": \\\"Paris\\\"}\"}")).contains(new ToolCallParse(null, List.of(PARIS)));
        assertThat(ToolCallFormat.LLAMA3_JSON.parse("{\"name\": \"now\", \"parameters\": {}}"))
                .contains(new ToolCallParse(null, List.of(new ParsedToolCall("now", "{}"))));
    }

    @Test
    void mistralListAndNamedCalls() {
        assertThat(ToolCallFormat.MISTRAL.parse("[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": "
                + "\"Paris\"}, \"id\": \"a1b2c3d4e\"}, {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}]"))
                .contains(new ToolCallParse(null, List.of(PARIS, ROME)));
        assertThat(ToolCallFormat.MISTRAL.parse("Checking.[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\"}"
                + "[TOOL_CALLS]get_weather[CALL_ID]a1b2c3d4e[ARGS]{\"city\": \"Rome\"}"))
                .contains(new ToolCallParse("Checking.", List.of(PARIS, ROME)));
    }

    @Test
    void callIdsMistralTemplatesAccept() {
        assertThat(ToolCallFormat.MISTRAL.newCallId()).matches("[A-Za-z0-9]{9}");
        assertThat(ToolCallFormat.HERMES.newCallId()).matches("call_[A-Za-z0-9]{24}");
    }
}
