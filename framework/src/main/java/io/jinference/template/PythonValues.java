package io.jinference.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dicts and lists handed to templates (messages, tool calls, their arguments, tools) that print as Python prints
 * them: Jinja writes {@code {{ tools }}} as {@code [{'type': 'function', ...}]} (DeepSeek V3's template does), where
 * Java's {@code toString} would write {@code [{type=function, ...}]}.
 */
final class PythonValues {
    private PythonValues() {
    }

    /** {@code value} with every map and list (recursively) turned into one that prints like Python's. */
    static Object of(Object value) {
        if (value instanceof Map<?, ?> map) {
            Dict dict = new Dict();
            map.forEach((k, v) -> dict.put(String.valueOf(k), of(v)));
            return dict;
        }
        if (value instanceof List<?> list) {
            PyList out = new PyList();
            list.forEach(item -> out.add(of(item)));
            return out;
        }
        return value;
    }

    /** Python's {@code repr}. */
    static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : PythonNumbers.floatRepr(d);
        }
        if (value instanceof Number) {
            return value.toString();
        }
        if (value instanceof CharSequence text) {
            return string(text.toString());
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(repr(k)).append(": ").append(repr(v)));
            return out.append('}').toString();
        }
        if (value instanceof Iterable<?> items) {
            StringBuilder out = new StringBuilder("[");
            items.forEach(item -> out.append(out.length() > 1 ? ", " : "").append(repr(item)));
            return out.append(']').toString();
        }
        return value.toString();
    }

    private static String string(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    /**
     * A dict: insertion ordered, printed as Python does, with the dict methods templates call
     * ({@code arguments.items()} in MiniMax's template), which Jinjava offers only on its own maps.
     */
    public static final class Dict extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;

        public List<List<Object>> items() {
            List<List<Object>> pairs = new ArrayList<>();
            forEach((k, v) -> pairs.add(java.util.Arrays.asList(k, v)));
            return pairs;
        }

        public List<Object> keys() {
            return new PyList(keySet());
        }

        public List<Object> values() {
            return new PyList(super.values());
        }

        public Object get(Object key, Object otherwise) {
            return containsKey(key) ? get(key) : otherwise;
        }

        @Override
        public String toString() {
            return repr(this);
        }
    }

    /** A list printed as Python does. */
    public static final class PyList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;

        PyList() {
        }

        PyList(java.util.Collection<?> items) {
            super(items);
        }

        @Override
        public String toString() {
            return repr(this);
        }
    }
}
