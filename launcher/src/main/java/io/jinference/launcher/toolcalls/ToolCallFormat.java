package io.jinference.launcher.toolcalls;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a chat-template family writes a model's tool calls, told from the template's own text: what it teaches the
 * model to write is what the model writes back.
 */
public enum ToolCallFormat {
    /** Hermes, Qwen2.5, Qwen3: {@code <tool_call>{"name", "arguments"}</tool_call>}. */
    HERMES(List.of(HermesToolCalls.OPEN), false, HermesToolCalls::parse),
    /** Llama 3.1 to 3.3: the call's JSON {@code {"name", "parameters"}} as the answer, or after {@code <|python_tag|>}. */
    LLAMA3_JSON(List.of(Llama3ToolCalls.PYTHON_TAG), true, Llama3ToolCalls::parse),
    /** Mistral: {@code [TOOL_CALLS]} then a JSON list of calls, or {@code name[ARGS]{...}}. */
    MISTRAL(List.of(MistralToolCalls.MARKER), false, MistralToolCalls::parse);

    /** What Llama 3.1/3.2/3.3 templates ask for in words when tools are given. */
    private static final String LLAMA3_INSTRUCTION = "\"parameters\": dictionary of argument name and its value";

    private final List<String> markers;
    private final boolean jsonAnswer;
    private final Function<String, Optional<ToolCallParse>> parser;

    ToolCallFormat(List<String> markers, boolean jsonAnswer, Function<String, Optional<ToolCallParse>> parser) {
        this.markers = markers;
        this.jsonAnswer = jsonAnswer;
        this.parser = parser;
    }

    /**
     * The format the template teaches; empty for a template that does not render tools for the model (SmolLM2's,
     * for one), whose model would never have seen how to call them.
     */
    public static Optional<ToolCallFormat> of(String template) {
        if (template == null) {
            return Optional.empty();
        }
        if (template.contains(HermesToolCalls.OPEN)) {
            return Optional.of(HERMES);
        }
        if (template.contains(MistralToolCalls.MARKER)) {
            return Optional.of(MISTRAL);
        }
        if (template.contains(Llama3ToolCalls.PYTHON_TAG) || template.contains(LLAMA3_INSTRUCTION)) {
            return Optional.of(LLAMA3_JSON);
        }
        return Optional.empty();
    }

    /** The texts that begin a call wherever they stand in the answer. */
    List<String> markers() {
        return markers;
    }

    /** Whether an answer that begins (after blanks) with {@code {} is a call (Llama 3's bare JSON). */
    boolean jsonAnswer() {
        return jsonAnswer;
    }

    /** The answer's calls and the text before them; empty when it holds no well-formed call: it is then text. */
    public Optional<ToolCallParse> parse(String answer) {
        return parser.apply(answer);
    }

    /**
     * A new call id. Mistral's templates refuse a conversation whose call ids are not nine letters and digits, so
     * its calls get such ids, and the conversation sent back with them renders; others get OpenAI's shape.
     */
    String newCallId() {
        return this == MISTRAL ? CallIds.alphanumeric(9) : "call_" + CallIds.alphanumeric(24);
    }
}
