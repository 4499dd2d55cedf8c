package io.jinference.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.objects.SafeString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tojson} filter as Hugging Face's chat-template environment defines it: Python's
 * {@code json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}, with those keyword
 * arguments accepted. Jinjava's own {@code tojson} writes compact Jackson JSON ({@code {"a":1}}), where Python writes
 * {@code {"a": 1}}; tool definitions rendered into prompts (Qwen, Llama 3.1, Mistral) must be the bytes the model
 * was trained on, so the separators, key order (insertion order), escapes and number forms follow Python.
 */
final class PythonJsonFilter implements AdvancedFilter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indentArg = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        String indent = indentArg == null ? null
                : indentArg instanceof Number n ? " ".repeat(Math.max(0, n.intValue())) : indentArg.toString();
        boolean ensureAscii = truthy(kwargs.get("ensure_ascii"));
        boolean sortKeys = truthy(kwargs.get("sort_keys"));
        String itemSeparator = indent == null ? ", " : ",";
        String keySeparator = ": ";
        Object separators = kwargs.get("separators");
        if (separators instanceof List<?> pair && pair.size() == 2) {
            itemSeparator = String.valueOf(pair.get(0));
            keySeparator = String.valueOf(pair.get(1));
        }
        StringBuilder out = new StringBuilder();
        new Writer(out, indent, itemSeparator, keySeparator, ensureAscii, sortKeys).write(value, 0);
        return out.toString();
    }

    private static boolean truthy(Object value) {
        return value instanceof Boolean b ? b : value != null && !"false".equalsIgnoreCase(value.toString());
    }

    private record Writer(StringBuilder out, String indent, String itemSeparator, String keySeparator,
            boolean ensureAscii, boolean sortKeys) {

        void write(Object value, int depth) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof SafeString safe) {
                string(safe.toString());
            } else if (value instanceof CharSequence || value instanceof Character) {
                string(value.toString());
            } else if (value instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (value instanceof Double || value instanceof Float) {
                out.append(PythonNumbers.floatRepr(((Number) value).doubleValue()));
            } else if (value instanceof BigDecimal decimal) {
                out.append(PythonNumbers.floatRepr(decimal.doubleValue()));
            } else if (value instanceof Number number) {
                out.append(number instanceof BigInteger ? number.toString() : Long.toString(number.longValue()));
            } else if (value instanceof Map<?, ?> map) {
                object(map, depth);
            } else if (value instanceof Iterable<?> items) {
                array(items, depth);
            } else if (value instanceof Object[] items) {
                array(List.of(items), depth);
            } else if (value instanceof Optional<?> optional) {
                write(optional.orElse(null), depth);
            } else {
                string(value.toString());
            }
        }

        private void object(Map<?, ?> map, int depth) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (sortKeys) {
                entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : entries) {
                separate(first, depth + 1);
                first = false;
                string(String.valueOf(entry.getKey()));
                out.append(keySeparator);
                write(entry.getValue(), depth + 1);
            }
            newline(depth);
            out.append('}');
        }

        private void array(Iterable<?> items, int depth) {
            if (!items.iterator().hasNext()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                separate(first, depth + 1);
                first = false;
                write(item, depth + 1);
            }
            newline(depth);
            out.append(']');
        }

        private void separate(boolean first, int depth) {
            if (!first) {
                out.append(itemSeparator);
            }
            newline(depth);
        }

        private void newline(int depth) {
            if (indent != null) {
                out.append('\n').append(indent.repeat(depth));
            }
        }

        /** Python's string escaping: the short escapes, other control characters as {@code \\u00XX}. */
        private void string(String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
