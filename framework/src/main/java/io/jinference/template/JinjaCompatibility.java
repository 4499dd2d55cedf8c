package io.jinference.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites Python-Jinja constructs that Jinjava parses differently, so templates such as Qwen3's render:
 * <ul>
 *   <li>whitespace control and {@code trim_blocks}/{@code lstrip_blocks}, carried out here exactly as Jinja's lexer
 *       does (see {@link #withWhitespaceControlApplied}), because Jinjava's versions differ;</li>
 *   <li>a keyword argument whose value is an expression, {@code namespace(last=messages|length - 1)}: Jinjava binds
 *       {@code last=messages|length} first and then subtracts from it; the value is put in parentheses;</li>
 *   <li>{@code n+1} and {@code length-1}: Jinjava's lexer reads {@code +1} as a signed number and fails; the
 *       operator gets spaces;</li>
 *   <li>{@code not} binds looser than comparisons in Jinja ({@code not x|length == 1} is {@code not (x|length == 1)}),
 *       tighter in Jinjava; the operand of every unary {@code not} is put in parentheses;</li>
 *   <li>{@code loop.previtem} and {@code loop.nextitem} (Qwen3.5's template), which Jinjava's loop lacks, in a loop
 *       over a plain variable: {@code (messages[loop.index0 - 1] if not loop.first else none)} and the like;</li>
 *   <li>a loop filter, {@code {% for x in items if cond %}} (seed-oss, MiniMax-M3), which Jinjava reads as a
 *       conditional expression: it becomes an {@code {% if cond %}} around the loop's body. The items skipped still
 *       count in that loop's {@code loop.index}/{@code loop.last}, unlike in Jinja;</li>
 *   <li>a slice with an expression as bound, {@code messages[:n+1]} (Kimi-K2.5), which Jinjava's grammar rejects:
 *       {@code python_slice(messages, none, n+1)};</li>
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
        Matcher block = BLOCK.matcher(withLoopFiltersAsConditions(
                withNeighbourItems(withWhitespaceControlApplied(template))));
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (block.find()) {
            String code = block.group(2);
            // a macro's parameter defaults are a declaration, not a call: Jinjava wants them as they are
            if (!MACRO.matcher(code).lookingAt()) {
                code = parenthesizeKeywordValues(code);
            }
            code = spacedSignsBeforeNumbers(code);
            code = parenthesizeNotOperands(code);
            code = reverseSlices(code);
            code = computedSlices(code);
            block.appendReplacement(out, Matcher.quoteReplacement(block.group(1) + code + block.group(3)));
        }
        block.appendTail(out);
        return out.toString();
    }

    /**
     * The template with Jinja's whitespace rules carried out on the text between tags, as Jinja's lexer does with
     * {@code trim_blocks} and {@code lstrip_blocks} on (transformers' settings), so that Jinjava, with both off,
     * needs to strip nothing:
     * <ul>
     *   <li>{@code {{-}, {@code {%-}, {@code {#-} strip all whitespace before the tag, {@code -}}}, {@code -%}},
     *       {@code -#}} all whitespace after it;</li>
     *   <li>otherwise a statement or comment tag ({@code {%}, {@code {#}, not {@code {{}) drops the spaces and tabs
     *       before it when only they stand between it and the start of its line ({@code lstrip_blocks}), unless
     *       written {@code {%+}; and a newline right after {@code %}} or {@code #}} is dropped
     *       ({@code trim_blocks}), unless written {@code +%}}.</li>
     * </ul>
     * Jinjava's own versions of these differ: it ignores {@code {{-}, and strips before a statement that is not at
     * the start of a line.
     */
    static String withWhitespaceControlApplied(String template) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        boolean stripLeading = false;
        boolean lineStarting = true;
        while (i < template.length()) {
            int open = nextTagStart(template, i);
            String text = template.substring(i, open < 0 ? template.length() : open);
            if (stripLeading) {
                int kept = 0;
                while (kept < text.length() && pythonWhitespace(text.charAt(kept))) {
                    kept++;
                }
                lineStarting = lineStarting || text.substring(0, kept).endsWith("\n");
                text = text.substring(kept);
            }
            if (open < 0) {
                out.append(text);
                break;
            }
            int close = endOfTag(template, open);
            String tag = template.substring(open, close);
            char kind = tag.charAt(1);
            char before = tag.length() > 2 ? tag.charAt(2) : ' ';
            char after = tag.length() >= 5 ? tag.charAt(tag.length() - 3) : ' ';
            if (before == '-') {
                text = stripTrailing(text);
            } else if (before != '+' && kind != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                        && stripTrailing(text.substring(lineStart)).isEmpty()) {
                    text = text.substring(0, lineStart);
                }
            }
            out.append(text);
            int innerStart = before == '-' || before == '+' ? 3 : 2;
            int innerEnd = tag.length() - (after == '-' || after == '+' ? 3 : 2);
            out.append(tag, 0, 2).append(tag, innerStart, Math.max(innerStart, innerEnd))
                    .append(tag, tag.length() - 2, tag.length());
            i = close;
            stripLeading = after == '-';
            lineStarting = false;
            if (!stripLeading && after != '+' && kind != '{' && template.startsWith("\n", i)) {
                i++;
                lineStarting = true;
            }
        }
        return out.toString();
    }

    /** Python's {@code str.isspace} for one character, which Jinja's {@code \\s} and {@code rstrip()} use. */
    private static boolean pythonWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && pythonWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Where the next {@code {{}, {@code {%} or {@code {#} starts at or after {@code from}; -1 for none. */
    private static int nextTagStart(String template, int from) {
        for (int at = template.indexOf('{', from); at >= 0 && at + 1 < template.length();
                at = template.indexOf('{', at + 1)) {
            char next = template.charAt(at + 1);
            if (next == '{' || next == '%' || next == '#') {
                return at;
            }
        }
        return -1;
    }

    /**
     * The index just after the tag opened at {@code open}. In expressions and statements, string literals are
     * skipped and the closing {@code }}} or {@code %}} counts only outside brackets, as in Jinja's lexer
     * ({@code {{ {'a': 1}}}} ends at its last two braces).
     */
    private static int endOfTag(String template, int open) {
        char kind = template.charAt(open + 1);
        String closing = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
        int depth = 0;
        int i = open + 2;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (kind != '#') {
                if (c == '\'' || c == '"') {
                    i = endOfString(template, i);
                    continue;
                }
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (depth > 0 && (c == ')' || c == ']' || c == '}')) {
                    depth--;
                    i++;
                    continue;
                }
            }
            if (depth == 0 && template.startsWith(closing, i)) {
                return i + 2;
            }
            i++;
        }
        return template.length();
    }

    private static final Pattern COMPUTED_SLICE = Pattern.compile(
            "([A-Za-z_][\\w.]*)\\[([^\\[\\]:'\"]*):([^\\[\\]:'\"]*)\\]");

    /** {@code x[a:b]} where a bound is more than a name or number becomes {@code python_slice(x, a, b)}. */
    private static String computedSlices(String code) {
        Matcher slice = COMPUTED_SLICE.matcher(code);
        StringBuilder out = new StringBuilder();
        while (slice.find()) {
            String start = slice.group(2).strip();
            String stop = slice.group(3).strip();
            if (simpleBound(start) && simpleBound(stop)) {
                slice.appendReplacement(out, Matcher.quoteReplacement(slice.group()));
                continue;
            }
            slice.appendReplacement(out, Matcher.quoteReplacement("python_slice(" + slice.group(1) + ", "
                    + (start.isEmpty() ? "none" : start) + ", " + (stop.isEmpty() ? "none" : stop) + ")"));
        }
        slice.appendTail(out);
        return out.toString();
    }

    private static boolean simpleBound(String bound) {
        return bound.matches("-?[\\w.]*");
    }

    private static String reverseSlices(String code) {
        return REVERSED.matcher(code).replaceAll("($1|reverse|list)");
    }

    private static final Pattern FOR = Pattern.compile("\\{%\\s*for\\s+\\w+(?:\\s*,\\s*\\w+)*\\s+in\\s+([A-Za-z_][\\w.]*)\\s*%\\}");
    private static final Pattern LOOP_TAG = Pattern.compile("\\{%\\s*(for|endfor)\\b");

    /**
     * {@code loop.previtem}/{@code loop.nextitem} inside {@code {% for x in items %}} (items a variable or attribute
     * path) become indexed lookups into {@code items}; nested loops keep their own {@code loop}, so only the text at
     * the loop's own depth is rewritten.
     */
    static String withNeighbourItems(String template) {
        if (!template.contains("loop.previtem") && !template.contains("loop.nextitem")) {
            return template;
        }
        StringBuilder out = new StringBuilder(template);
        Matcher loop = FOR.matcher(template);
        java.util.List<int[]> regions = new java.util.ArrayList<>();
        java.util.List<String> iterables = new java.util.ArrayList<>();
        while (loop.find()) {
            Matcher tags = LOOP_TAG.matcher(template).region(loop.end(), template.length());
            int depth = 0;
            int from = loop.end();
            while (tags.find()) {
                if (tags.group(1).equals("for")) {
                    if (depth == 0) {
                        regions.add(new int[] {from, tags.start()});
                        iterables.add(loop.group(1));
                    }
                    depth++;
                } else if (depth == 0) {
                    regions.add(new int[] {from, tags.start()});
                    iterables.add(loop.group(1));
                    break;
                } else {
                    depth--;
                    if (depth == 0) {
                        from = tags.end();
                    }
                }
            }
        }
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int r = 0; r < regions.size(); r++) {
            order.add(r);
        }
        // from the end of the template backwards, so that earlier offsets stay valid
        order.sort((a, b) -> Integer.compare(regions.get(b)[0], regions.get(a)[0]));
        for (int r : order) {
            int[] region = regions.get(r);
            String items = iterables.get(r);
            String text = out.substring(region[0], region[1])
                    .replace("loop.previtem", "(" + items + "[loop.index0 - 1] if not loop.first else none)")
                    .replace("loop.nextitem", "(" + items + "[loop.index0 + 1] if not loop.last else none)");
            out.replace(region[0], region[1], text);
        }
        return out.toString();
    }

    /** {@code a+1} as {@code a + 1} (and {@code -}) outside strings, where an operand precedes the sign. */
    static String spacedSignsBeforeNumbers(String code) {
        StringBuilder out = new StringBuilder(code.length() + 8);
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(code, i);
                out.append(code, i, end);
                i = end;
                continue;
            }
            if ((c == '+' || c == '-') && i > 0 && i + 1 < code.length() && Character.isDigit(code.charAt(i + 1))
                    && operandEnd(code.charAt(i - 1)) && !exponent(code, i)) {
                out.append(' ').append(c).append(' ');
            } else {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    private static boolean operandEnd(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ')' || c == ']';
    }

    /** The sign of a float literal's exponent, {@code 1e-5}. */
    private static boolean exponent(String code, int sign) {
        return sign >= 2 && (code.charAt(sign - 1) == 'e' || code.charAt(sign - 1) == 'E')
                && Character.isDigit(code.charAt(sign - 2));
    }

    private static final Pattern FILTERED_FOR = Pattern.compile(
            "\\{%(\\s*for\\s+[\\w\\s,]+?\\s+in\\s+(?:(?!%\\}).)+?)\\s+if\\s+((?:(?!%\\}).)+?)\\s*%\\}",
            Pattern.DOTALL);
    private static final Pattern LOOP_BODY_TAG = Pattern.compile("\\{%\\s*(for|endfor|if|endif|else)\\b");

    /** {@code {% for x in items if cond %}body{% endfor %}} as {@code {% for x in items %}{% if cond %}body{% endif %}{% endfor %}}. */
    static String withLoopFiltersAsConditions(String template) {
        Matcher loop = FILTERED_FOR.matcher(template);
        if (!loop.find()) {
            return template;
        }
        Matcher tags = LOOP_BODY_TAG.matcher(template).region(loop.end(), template.length());
        int loops = 0;
        int conditions = 0;
        while (tags.find()) {
            switch (tags.group(1)) {
                case "for" -> loops++;
                case "if" -> conditions++;
                case "endif" -> conditions--;
                case "else" -> {
                    if (loops == 0 && conditions == 0) {
                        // for ... else: the else belongs to the loop, and the filter cannot move into the body
                        return template.substring(0, loop.end())
                                + withLoopFiltersAsConditions(template.substring(loop.end()));
                    }
                }
                default -> {
                    if (loops > 0) {
                        loops--;
                    } else {
                        String rest = template.substring(tags.start());
                        return template.substring(0, loop.start()) + "{%" + loop.group(1) + " %}{% if "
                                + loop.group(2) + " %}" + template.substring(loop.end(), tags.start()) + "{% endif %}"
                                + withLoopFiltersAsConditions(rest);
                    }
                }
            }
        }
        return template;
    }

    private static final Pattern NOT = Pattern.compile("\\bnot\\b");
    private static final Pattern WORD_BEFORE = Pattern.compile("([A-Za-z_]\\w*)\\s*$");
    private static final java.util.Set<String> KEYWORDS_BEFORE_OPERAND = java.util.Set.of("and", "or", "not", "if",
            "elif", "else", "in", "return", "set", "do", "print");
    private static final java.util.Set<String> OPERAND_ENDING_WORDS = java.util.Set.of("and", "or", "if", "else");

    /** {@code not a == b} becomes {@code not (a == b)}, as Jinja's grammar reads it; {@code not in}, {@code is not} stay. */
    static String parenthesizeNotOperands(String code) {
        java.util.TreeMap<Integer, StringBuilder> inserts = new java.util.TreeMap<>();
        Matcher not = NOT.matcher(code);
        while (not.find()) {
            if (insideString(code, not.start()) || !unary(code, not.start())) {
                continue;
            }
            int start = not.end();
            int end = endOfNotOperand(code, start);
            if (code.substring(start, end).isBlank()) {
                continue;
            }
            inserts.computeIfAbsent(start, k -> new StringBuilder()).append(" (");
            inserts.computeIfAbsent(end, k -> new StringBuilder()).insert(0, ")");
        }
        StringBuilder out = new StringBuilder(code);
        for (Integer at : inserts.descendingKeySet()) {
            out.insert(at, inserts.get(at));
        }
        return out.toString();
    }

    /** Whether the {@code not} at {@code at} is the unary operator: it starts an operand, rather than ending {@code is not} or beginning {@code not in}. */
    private static boolean unary(String code, int at) {
        String before = code.substring(0, at).stripTrailing();
        if (before.isEmpty()) {
            return true;
        }
        Matcher word = WORD_BEFORE.matcher(before);
        if (word.find()) {
            return KEYWORDS_BEFORE_OPERAND.contains(word.group(1)) && !"is".equals(word.group(1));
        }
        char last = before.charAt(before.length() - 1);
        return !(last == ')' || last == ']' || last == '}' || last == '\'' || last == '"' || Character.isDigit(last));
    }

    private static boolean insideString(String code, int at) {
        int i = 0;
        while (i < at) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(code, i);
                if (end > at) {
                    return true;
                }
                i = end;
            } else {
                i++;
            }
        }
        return false;
    }

    /** Where the operand of a unary {@code not} ends: at {@code and}, {@code or}, {@code if}, {@code else} or a closing bracket or comma of the enclosing level. */
    private static int endOfNotOperand(String code, int start) {
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
            } else if (depth == 0 && c == ',') {
                return i;
            } else if (depth == 0 && Character.isLetter(c) && (i == 0 || !Character.isLetterOrDigit(code.charAt(i - 1))
                    && code.charAt(i - 1) != '_' && code.charAt(i - 1) != '.')) {
                int wordEnd = i;
                while (wordEnd < code.length() && (Character.isLetterOrDigit(code.charAt(wordEnd))
                        || code.charAt(wordEnd) == '_')) {
                    wordEnd++;
                }
                if (OPERAND_ENDING_WORDS.contains(code.substring(i, wordEnd))) {
                    return trimmedEnd(code, start, i);
                }
                i = wordEnd;
                continue;
            }
            i++;
        }
        return trimmedEnd(code, start, code.length());
    }

    /** The end of the operand without its trailing whitespace (and a statement's {@code -} marker is gone already). */
    private static int trimmedEnd(String code, int start, int end) {
        while (end > start && Character.isWhitespace(code.charAt(end - 1))) {
            end--;
        }
        return end;
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
