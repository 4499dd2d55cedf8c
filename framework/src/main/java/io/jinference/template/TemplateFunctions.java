package io.jinference.template;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The global functions Hugging Face's chat-template environment adds to Jinja, as static methods for Jinjava. */
public final class TemplateFunctions {

    /** Python strftime directives used by chat templates, mapped to java.time patterns. */
    private static final Map<Character, String> STRFTIME = Map.ofEntries(
            Map.entry('d', "dd"), Map.entry('m', "MM"), Map.entry('Y', "yyyy"), Map.entry('y', "yy"),
            Map.entry('b', "MMM"), Map.entry('B', "MMMM"), Map.entry('a', "EEE"), Map.entry('A', "EEEE"),
            Map.entry('H', "HH"), Map.entry('M', "mm"), Map.entry('S', "ss"), Map.entry('p', "a"));

    /** The clock of the renderer rendering on this thread; {@code strftime_now} reads it. */
    private static final ThreadLocal<Clock> CLOCK = new ThreadLocal<>();

    private TemplateFunctions() {
    }

    /** Sets the clock for the renders on this thread; null goes back to the system clock. */
    static void useClock(Clock clock) {
        if (clock == null) {
            CLOCK.remove();
        } else {
            CLOCK.set(clock);
        }
    }

    /** {@code raise_exception(message)}: templates call it to reject a conversation they cannot format. */
    public static Object raiseException(String message) {
        throw new TemplateRejectedException(message);
    }

    /** {@code strftime_now(format)}: the current local time in a Python strftime format (Llama 3.2 templates). */
    public static String strftimeNow(String format) {
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char directive = format.charAt(++i);
                pattern.append(directive == '%' ? "'%'" : STRFTIME.getOrDefault(directive, "'%" + directive + "'"));
            } else if (Character.isLetter(c) || c == '\'') {
                pattern.append('\'').append(c == '\'' ? "''" : String.valueOf(c)).append('\'');
            } else {
                pattern.append(c);
            }
        }
        return DateTimeFormatter.ofPattern(pattern.toString(), Locale.ENGLISH).format(ZonedDateTime.now(
                Objects.requireNonNullElseGet(CLOCK.get(), Clock::systemDefaultZone)));
    }

    /** Thrown by {@code raise_exception}; carries the template's own message. */
    static final class TemplateRejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRejectedException(String message) {
            super(message);
        }
    }
}
