package io.jinference.template;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Gives Java strings the Python {@code str} methods that Hugging Face chat templates call
 * ({@code content.strip()}, {@code role.startswith('sys')}, {@code '\n'.join(parts)} …), which Jinjava does not
 * offer: it only exposes the methods of {@link String} itself. Placed before Jinjava's own resolver, it answers
 * only method calls on strings whose name it knows, with Python semantics (e.g. {@code split} takes a literal
 * separator, not a regex), and leaves every other call to Jinjava.
 */
final class PythonStringMethods extends ELResolver {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String text) || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(text, method.toString(), args);
        if (result != NOT_HANDLED) {
            context.setPropertyResolved(true);
            return result;
        }
        return null;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object call(String text, String method, Object[] args) {
        switch (method) {
            case "strip":
                return stripRight(stripLeft(text, chars(args)), chars(args));
            case "lstrip":
                return stripLeft(text, chars(args));
            case "rstrip":
                return stripRight(text, chars(args));
            case "startswith":
                return args.length == 1 && anyMatch(args[0], text::startsWith);
            case "endswith":
                return args.length == 1 && anyMatch(args[0], text::endsWith);
            case "upper":
                return text.toUpperCase(Locale.ROOT);
            case "lower":
                return text.toLowerCase(Locale.ROOT);
            case "title":
                return title(text);
            case "capitalize":
                return text.isEmpty() ? text
                        : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1).toLowerCase(Locale.ROOT);
            case "split":
                return split(text, args);
            case "join":
                return args.length == 1 ? join(text, args[0]) : NOT_HANDLED;
            case "find":
                return args.length == 1 ? text.indexOf(String.valueOf(args[0])) : NOT_HANDLED;
            case "count":
                return args.length == 1 ? count(text, String.valueOf(args[0])) : NOT_HANDLED;
            default:
                return NOT_HANDLED;
        }
    }

    /** The characters to strip, or null for whitespace (Python's default). */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : args[0].toString();
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    private static String stripLeft(String text, String chars) {
        int start = 0;
        while (start < text.length() && strippable(text.charAt(start), chars)) {
            start++;
        }
        return text.substring(start);
    }

    private static String stripRight(String text, String chars) {
        int end = text.length();
        while (end > 0 && strippable(text.charAt(end - 1), chars)) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Python accepts a string or a tuple of strings as prefix/suffix. */
    private static boolean anyMatch(Object candidates, java.util.function.Predicate<String> test) {
        if (candidates instanceof Iterable<?> many) {
            for (Object one : many) {
                if (test.test(String.valueOf(one))) {
                    return true;
                }
            }
            return false;
        }
        return test.test(String.valueOf(candidates));
    }

    private static String title(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean startOfWord = true;
        for (char c : text.toCharArray()) {
            out.append(startOfWord ? Character.toUpperCase(c) : Character.toLowerCase(c));
            startOfWord = !Character.isLetter(c);
        }
        return out.toString();
    }

    private static List<String> split(String text, Object[] args) {
        String separator = chars(args);
        int maxSplit = args.length > 1 && args[1] instanceof Number n ? n.intValue() : -1;
        if (separator == null) {
            String stripped = text.strip();
            return stripped.isEmpty() ? new ArrayList<>()
                    : new ArrayList<>(Arrays.asList(WHITESPACE.split(stripped, maxSplit < 0 ? 0 : maxSplit + 1)));
        }
        return new ArrayList<>(Arrays.asList(text.split(Pattern.quote(separator), maxSplit < 0 ? -1 : maxSplit + 1)));
    }

    private static String join(String separator, Object items) {
        if (!(items instanceof Iterable<?> iterable)) {
            return String.valueOf(items);
        }
        List<String> parts = new ArrayList<>();
        iterable.forEach(item -> parts.add(String.valueOf(item)));
        return parts.stream().collect(Collectors.joining(separator));
    }

    private static int count(String text, String part) {
        if (part.isEmpty()) {
            return text.length() + 1;
        }
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    // Property access is left to Jinjava's resolver: this resolver only adds methods.

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // read only: nothing to set, and leaving the property unresolved lets the next resolver decide
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
