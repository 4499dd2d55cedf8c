package io.jinference.launcher.toolcalls;

import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.TokenLogprob;
import io.jinference.api.TokenSink;
import io.jinference.api.ToolCallDelta;
import java.util.List;

/**
 * Reads tool calls out of the text an engine streams, for an engine that renders the tools into its chat template
 * but does not parse the answer itself. Text passes on at once until a call may be starting: the end of what has
 * come that could begin one of the format's markers is held back, and from a whole marker on everything waits for
 * the end of the generation ({@link #finish}). Then the held part is parsed: its calls go on as
 * {@link ToolCallDelta}s (the id and name, then the arguments, as OpenAI streams them) and the generation ends
 * with {@link FinishReason#TOOL_CALLS}; a part that holds no well-formed call, or that {@code max_tokens} cut,
 * goes on as text, as the model wrote it.
 */
public final class ToolCallingSink implements TokenSink {
    private final ToolCallFormat format;
    private final TokenSink downstream;
    /** What has come and not gone on yet. */
    private final StringBuilder held = new StringBuilder();
    /** A whole marker was seen: {@link #held} starts with it and waits for the end. */
    private boolean callStarted;
    /** Text that is not blank has gone on (Llama 3's bare JSON is a call only at the start of the answer). */
    private boolean textSent;

    public ToolCallingSink(ToolCallFormat format, TokenSink downstream) {
        this.format = format;
        this.downstream = downstream;
    }

    @Override
    public synchronized void onText(String delta) {
        held.append(delta);
        if (callStarted) {
            return;
        }
        int start = callStart();
        if (start >= 0) {
            pass(held.substring(0, start));
            held.delete(0, start);
            callStarted = true;
            return;
        }
        int free = held.length() - possibleStart();
        pass(held.substring(0, free));
        held.delete(0, free);
    }

    @Override
    public void onLogprobs(List<TokenLogprob> logprobs) {
        downstream.onLogprobs(logprobs);
    }

    @Override
    public boolean isCancelled() {
        return downstream.isCancelled();
    }

    /**
     * Ends the answer: the held text becomes calls or goes on as text.
     *
     * @return the generation, with finish reason {@link FinishReason#TOOL_CALLS} when calls were found
     */
    public synchronized Generation finish(Generation generation) {
        if (callStarted && generation.finishReason() == FinishReason.STOP) {
            var parsed = format.parse(held.toString());
            if (parsed.isPresent()) {
                held.setLength(0);
                if (parsed.get().content() != null) {
                    pass(parsed.get().content());
                }
                List<ParsedToolCall> calls = parsed.get().calls();
                for (int i = 0; i < calls.size(); i++) {
                    downstream.onToolCall(new ToolCallDelta(i, format.newCallId(), calls.get(i).name(), ""));
                    downstream.onToolCall(new ToolCallDelta(i, null, null, calls.get(i).arguments()));
                }
                return new Generation(FinishReason.TOOL_CALLS, generation.usage());
            }
        }
        pass(held.toString());
        held.setLength(0);
        return generation;
    }

    /** Where a call begins in the held text: a whole marker, or Llama 3's JSON at the start of the answer; else -1. */
    private int callStart() {
        int start = -1;
        for (String marker : format.markers()) {
            int at = held.indexOf(marker);
            if (at >= 0 && (start < 0 || at < start)) {
                start = at;
            }
        }
        if (format.jsonAnswer() && !textSent) {
            int first = firstNonBlank();
            if (first >= 0 && held.charAt(first) == '{' && (start < 0 || first < start)) {
                start = first;
            }
        }
        return start;
    }

    /** How many characters at the end of the held text could begin a marker (or, unanswered yet, Llama 3's JSON). */
    private int possibleStart() {
        if (format.jsonAnswer() && !textSent && firstNonBlank() < 0) {
            return held.length();
        }
        int longest = 0;
        for (String marker : format.markers()) {
            for (int length = Math.min(marker.length() - 1, held.length()); length > longest; length--) {
                if (marker.startsWith(held.substring(held.length() - length))) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    private int firstNonBlank() {
        for (int i = 0; i < held.length(); i++) {
            if (!Character.isWhitespace(held.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private void pass(String text) {
        if (!text.isEmpty()) {
            downstream.onText(text);
            textSent |= !text.isBlank();
        }
    }
}
