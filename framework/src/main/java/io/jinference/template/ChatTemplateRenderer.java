package io.jinference.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.jinference.api.ChatMessage;
import io.jinference.api.EngineException;
import io.jinference.api.ToolCall;
import io.jinference.api.ToolDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jinjava.javax.el.CompositeELResolver;

/**
 * Renders Hugging Face style Jinja chat templates (from a GGUF's {@code tokenizer.chat_template}, a
 * {@code tokenizer_config.json} or the catalog) with Jinjava, configured like the Jinja environment of
 * {@code transformers} ({@code apply_chat_template}), so that prompts are byte for byte the ones transformers makes:
 * {@code trim_blocks} and {@code lstrip_blocks} on (carried out by {@link JinjaCompatibility} as Jinja's lexer does),
 * a {@code raise_exception} and a {@code strftime_now} function, {@code tojson} as Python's {@code json.dumps}, and
 * Python string methods on strings. Thread safe; create one and share it. {@code CatalogChatTemplatesMatchTransformersTest}
 * compares every catalog template with transformers' renderings.
 *
 * <p>Template variables: {@code messages} (maps of {@code role} and {@code content}, plus {@code tool_calls} or
 * {@code tool_call_id} and {@code name} where the message has them), {@code add_generation_prompt} (default true),
 * {@code bos_token} and {@code eos_token} (default empty), {@code tools} (absent without tools), plus whatever the
 * caller adds.
 */
public final class ChatTemplateRenderer {

    /** Bounds a runaway template so it cannot exhaust the heap of the server. */
    private static final long MAX_OUTPUT_CHARS = 8L * 1024 * 1024;
    /**
     * How long one render may take. Real chat templates render in milliseconds; a template that loops over nested
     * ranges would otherwise hold a CPU for hours (at launch, and at every request).
     */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration timeLimit;
    private final Clock clock;

    private final Jinjava jinjava;

    public ChatTemplateRenderer() {
        this(DEFAULT_TIME_LIMIT);
    }

    public ChatTemplateRenderer(Duration timeLimit) {
        this(timeLimit, Clock.systemDefaultZone());
    }

    /** @param clock what {@code strftime_now} reads (Llama 3.2's templates print today's date) */
    public ChatTemplateRenderer(Duration timeLimit, Clock clock) {
        this.timeLimit = timeLimit;
        this.clock = clock;
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(RenderDeadline.resolver());
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withKeepTrailingNewline(true)
                // Jinja prints an expression's value as it is; Jinjava would render a value containing {{ again
                .withNestedInterpretationEnabled(false)
                // a for loop over a dict walks its keys in Jinja (Qwen3-Coder's template); Jinjava walks values
                .withIterateOverMapKeys(true)
                .withFailOnUnknownTokens(false)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withElResolver(resolver)
                // {{ true }} prints True, as in Python
                .withExecutionMode(new PythonOutput())
                .build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                TemplateFunctions.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "range", RenderDeadline.class,
                "range", Object.class, Object[].class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                TemplateFunctions.class, "strftimeNow", String.class));
        jinjava.getGlobalContext().registerFilter(new PythonJsonFilter());
        jinjava.getGlobalContext().registerFilter(new PythonOutput.StringFilter());
        jinjava.getGlobalContext().registerFilter(PythonTests.items());
        jinjava.getGlobalContext().registerFilter(PythonTests.trim());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "python_slice", PythonTests.class,
                "slice", Object.class, Object.class, Object.class));
        jinjava.getGlobalContext().registerExpTest(PythonTests.iterable());
        jinjava.getGlobalContext().registerExpTest(PythonTests.sequence());
    }

    /**
     * Renders {@code template} for {@code messages}.
     *
     * @param variables extra variables ({@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, …);
     *        may be null. {@code tools} may be a list of {@link ToolDefinition}s: they are given to the template in
     *        the shape transformers gives them, {@code {"type": "function", "function": {name, description,
     *        parameters}}}; an empty list is no tools (None), as in a request without them
     * @throws EngineException {@link EngineException.Kind#INVALID_REQUEST} when the template does not parse, fails
     *         while rendering, or rejects the conversation through {@code raise_exception}
     */
    public String render(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("add_generation_prompt", true);
        bindings.put("bos_token", "");
        bindings.put("eos_token", "");
        if (variables != null) {
            bindings.putAll(variables);
        }
        bindings.put("messages", asMaps(messages));
        if (bindings.get("tools") instanceof List<?> tools) {
            bindings.put("tools", PythonValues.of(toolsAsMaps(tools)));
        }
        RenderResult result;
        RenderDeadline.begin(timeLimit.toNanos());
        TemplateFunctions.useClock(clock);
        try {
            result = jinjava.renderForResult(JinjaCompatibility.rewrite(withoutTrailingNewline(template)), bindings);
        } catch (RuntimeException e) {
            throw invalid(RenderDeadline.end() ? tooSlow() : runaway(e) ? tooLong() : messageOf(e));
        } finally {
            TemplateFunctions.useClock(null);
        }
        if (RenderDeadline.end()) {
            throw invalid(tooSlow());
        }
        Optional<TemplateError> fatal = result.getErrors().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL)
                .findFirst();
        if (fatal.isPresent()) {
            throw invalid(runaway(fatal.get().getException()) ? tooLong() : describe(fatal.get()));
        }
        return result.getOutput();
    }

    /**
     * A template that loops over large ranges usually fills the output limit before the time limit. It is the same
     * runaway, so it gets the same words, which the engines' launch guards look for (no typed signal crosses the API).
     */
    private static String tooLong() {
        return "The chat template did not finish rendering: its output passed " + MAX_OUTPUT_CHARS + " characters "
                + "(does it loop over large ranges?); it was stopped";
    }

    private static boolean runaway(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutputTooBigException) {
                return true;
            }
        }
        return false;
    }

    private String tooSlow() {
        return "The chat template did not finish rendering within " + timeLimit.toMillis() + " ms (does it loop over "
                + "large ranges?); it was stopped";
    }

    /**
     * Jinja drops one trailing newline of the template source ({@code keep_trailing_newline=False}); Jinjava's
     * option of that name instead trims the rendered output, which would cut the newline that ends a ChatML
     * generation prompt. So the source is trimmed here and Jinjava keeps the output as rendered.
     */
    private static String withoutTrailingNewline(String template) {
        return template.endsWith("\n") ? template.substring(0, template.length() - 1) : template;
    }

    /**
     * The messages as transformers' templates expect them: an assistant turn's calls under {@code tool_calls} as
     * {@code {"id", "type": "function", "function": {"name", "arguments"}}} with the arguments as a JSON object (as
     * vLLM passes them; OpenAI sends them as JSON text), and a tool turn's {@code tool_call_id} with the {@code name}
     * of the function it answers, which templates such as Llama 3.1's and Mistral's print.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> asMaps(List<ChatMessage> messages) {
        List<Map<String, Object>> maps = new ArrayList<>(messages.size());
        Map<String, String> functionOfCall = new HashMap<>();
        for (ChatMessage message : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", message.role());
            map.put("content", message.content() == null ? "" : message.content());
            if (!message.toolCalls().isEmpty()) {
                List<Map<String, Object>> calls = new ArrayList<>();
                for (ToolCall call : message.toolCalls()) {
                    functionOfCall.put(call.id(), call.name());
                    Map<String, Object> function = new LinkedHashMap<>();
                    function.put("name", call.name());
                    function.put("arguments", arguments(call.arguments()));
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", call.id());
                    entry.put("type", "function");
                    entry.put("function", function);
                    calls.add(entry);
                }
                map.put("tool_calls", calls);
            }
            if (message.toolCallId() != null) {
                map.put("tool_call_id", message.toolCallId());
                String name = functionOfCall.get(message.toolCallId());
                if (name != null) {
                    map.put("name", name);
                }
            }
            maps.add(map);
        }
        return (List<Map<String, Object>>) PythonValues.of(maps);
    }

    /** A call's JSON arguments as an object (key order kept); text that is no JSON object stays text. */
    private static Object arguments(String json) {
        try {
            Object parsed = JSON.readValue(json, Object.class);
            return parsed instanceof Map ? parsed : json;
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static List<Object> toolsAsMaps(List<?> tools) {
        if (tools.isEmpty()) {
            return null;
        }
        List<Object> maps = new ArrayList<>(tools.size());
        for (Object tool : tools) {
            if (tool instanceof ToolDefinition definition) {
                Map<String, Object> function = new LinkedHashMap<>();
                function.put("name", definition.name());
                if (definition.description() != null) {
                    function.put("description", definition.description());
                }
                function.put("parameters", definition.parameters());
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("type", "function");
                map.put("function", function);
                maps.add(map);
            } else {
                maps.add(tool);
            }
        }
        return maps;
    }

    private static String describe(TemplateError error) {
        String where = error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : "";
        return rejection(error.getException()).orElse("The chat template failed" + where + ": " + error.getMessage());
    }

    private static String messageOf(Throwable e) {
        return rejection(e).orElse("The chat template failed: " + e.getMessage());
    }

    /** The message of a {@code raise_exception} call somewhere in the cause chain of {@code e}. */
    private static Optional<String> rejection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateFunctions.TemplateRejectedException rejected) {
                return Optional.of("The chat template rejected the conversation: " + rejected.getMessage());
            }
        }
        return Optional.empty();
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }
}
