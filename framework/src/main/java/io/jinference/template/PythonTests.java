package io.jinference.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Jinja tests and filters whose Jinjava versions answer differently from Python's Jinja for the values chat
 * templates pass them. Llama 3.1's template asks {@code message.content is iterable} of a tool result, which Python
 * answers true for a string (and then prints it with {@code tojson}); Qwen1.5's walks
 * {@code parameters.properties|items}, a filter Jinjava lacks.
 */
public final class PythonTests {
    private PythonTests() {
    }

    /** {@code is iterable}: what Python's {@code iter()} accepts, strings and mappings included. */
    static ExpTest iterable() {
        return named("iterable", value -> value instanceof CharSequence || value instanceof Iterable
                || value instanceof Map || value instanceof Object[]);
    }

    /** {@code is sequence}: what has a length and items, strings and mappings included, as in Jinja. */
    static ExpTest sequence() {
        return named("sequence", value -> value instanceof CharSequence || value instanceof List
                || value instanceof Map || value instanceof Object[]);
    }

    /** {@code |items}: a mapping's {@code (key, value)} pairs in order; nothing for an undefined value. */
    static Filter items() {
        return new Filter() {
            @Override
            public String getName() {
                return "items";
            }

            @Override
            public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
                List<List<Object>> pairs = new ArrayList<>();
                if (value instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> pairs.add(Arrays.asList(k, v)));
                } else if (value != null) {
                    throw new IllegalArgumentException("Can only get item pairs from a mapping, not "
                            + value.getClass().getSimpleName());
                }
                return pairs;
            }
        };
    }

    /**
     * {@code |trim}: Python's {@code str(value).strip(chars)}. An undefined value (a missing
     * {@code description}, in Qwen1.5's template) is the empty string, as in Jinja; Jinjava's trim gives null, which
     * {@code +} then writes as {@code null}.
     */
    static Filter trim() {
        return new Filter() {
            @Override
            public String getName() {
                return "trim";
            }

            @Override
            public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
                String text = value == null ? "" : value.toString();
                String chars = args.length > 0 ? args[0] : null;
                int start = 0;
                int end = text.length();
                while (start < end && strippable(text.charAt(start), chars)) {
                    start++;
                }
                while (end > start && strippable(text.charAt(end - 1), chars)) {
                    end--;
                }
                return text.substring(start, end);
            }
        };
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) || Character.isSpaceChar(c) : chars.indexOf(c) >= 0;
    }

    /**
     * {@code python_slice(value, start, stop)}: Python's {@code value[start:stop]} on a list or string, bounds that
     * may be none or negative. {@link JinjaCompatibility} turns slices whose bounds are expressions
     * ({@code messages[:n+1]}, Kimi-K2.5's template), which Jinjava's grammar rejects, into this function.
     */
    public static Object slice(Object value, Object startBound, Object stopBound) {
        int length = value instanceof CharSequence text ? text.length()
                : value instanceof List<?> list ? list.size() : -1;
        if (length < 0) {
            throw new IllegalArgumentException("Only a list or a string can be sliced, not "
                    + (value == null ? "none" : value.getClass().getSimpleName()));
        }
        int start = bound(startBound, 0, length);
        int stop = Math.max(start, bound(stopBound, length, length));
        if (value instanceof CharSequence text) {
            return text.subSequence(start, stop).toString();
        }
        return new PythonValues.PyList(((List<?>) value).subList(start, stop));
    }

    private static int bound(Object given, int otherwise, int length) {
        if (!(given instanceof Number number)) {
            return otherwise;
        }
        int at = number.intValue();
        return Math.max(0, Math.min(length, at < 0 ? at + length : at));
    }

    private static ExpTest named(String name, java.util.function.Predicate<Object> test) {
        return new ExpTest() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean evaluate(Object value, JinjavaInterpreter interpreter, Object... args) {
                return test.test(value);
            }
        };
    }
}
