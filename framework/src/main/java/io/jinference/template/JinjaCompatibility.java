package io.jinference.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites two Python-Jinja constructs that Jinjava parses differently, so templates such as Qwen3's render:
 * <ul>
 *   <li>a keyword argument whose value is an expression, {@code namespace(last=messages|length - 1)}: Jinjava binds
 *       {@code last=messages|length} first and then subtracts from it; the value is put in parentheses;</li>
 *   <li>the reversing slice {@code messages[::-1]}, which Jinjava's grammar lacks; it becomes
 *       {@code (messages|reverse|list)}.</li>
 * </ul>
 * Only text inside {@code {{ }}} and {@code {% %}} blocks is rewritten, and never inside string literals.
 */
final class JinjaCompatibility {

    private static final Pattern BLOCK = Pattern.compile("(\\{\\{|\\{%)(.*?)(\\}\\}|%\\})", Pattern.DOTALL);
    private static final Pattern REVERSED = Pattern.compile("([A-Za-z_][\\w.]*)\\[\\s*:\\s*:\\s*-1\\s*\\]");
    private static final Pattern MACRO = Pattern.compile("-?\\s*macro\\b");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z_]\\w*\\s*=(?!=)");

    private JinjaCompatibility() {
    }

    static String rewrite(String template) {
        Matcher block = BLOCK.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (block.find()) {
            String code = block.group(2);
            // a macro's parameter defaults are a declaration, not a call: Jinjava wants them as they are
            if (!MACRO.matcher(code).lookingAt()) {
                code = parenthesizeKeywordValues(code);
            }
            code = reverseSlices(code);
            block.appendReplacement(out, Matcher.quoteReplacement(block.group(1) + code + block.group(3)));
        }
        block.appendTail(out);
        return out.toString();
    }

    private static String reverseSlices(String code) {
        return REVERSED.matcher(code).replaceAll("($1|reverse|list)");
    }

    /** Wraps the value of every {@code name=value} that directly follows {@code (} or {@code ,} in parentheses. */
    private static String parenthesizeKeywordValues(String code) {
        StringBuilder out = new StringBuilder(code.length() + 16);
        int i = 0;
        char lastSignificant = ' ';
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(code, i);
                out.append(code, i, end);
                lastSignificant = c;
                i = end;
                continue;
            }
            Matcher keyword = KEYWORD.matcher(code).region(i, code.length());
            if ((lastSignificant == '(' || lastSignificant == ',') && keyword.lookingAt()) {
                int valueStart = keyword.end();
                int valueEnd = endOfArgument(code, valueStart);
                out.append(code, i, valueStart).append('(').append(code, valueStart, valueEnd).append(')');
                lastSignificant = ')';
                i = valueEnd;
                continue;
            }
            out.append(c);
            if (!Character.isWhitespace(c)) {
                lastSignificant = c;
            }
            i++;
        }
        return out.toString();
    }

    private static int endOfString(String code, int quoteAt) {
        char quote = code.charAt(quoteAt);
        int i = quoteAt + 1;
        while (i < code.length() && code.charAt(i) != quote) {
            i += code.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, code.length());
    }

    /** The index of the {@code ,} or {@code )} that ends an argument starting at {@code start}. */
    private static int endOfArgument(String code, int start) {
        int depth = 0;
        int i = start;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(code, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
            i++;
        }
        return i;
    }
}
