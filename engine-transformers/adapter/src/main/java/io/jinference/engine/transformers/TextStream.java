package io.jinference.engine.transformers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.jinference.api.TokenSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns generated token ids into text deltas for the sink: decodes incrementally (a token may be half a UTF-8
 * character, so text is released only once it decodes cleanly), and holds back any tail that could still become
 * a stop string so that a stop string is never streamed.
 */
final class TextStream {
    private static final char REPLACEMENT = '\uFFFD';

    private final HuggingFaceTokenizer tokenizer;
    private final List<String> stops;
    private final TokenSink sink;
    private final List<Long> ids = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int prefixOffset;
    private int readOffset;
    private int emitted;

    TextStream(HuggingFaceTokenizer tokenizer, List<String> stops, TokenSink sink) {
        this.tokenizer = tokenizer;
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
        this.sink = sink;
    }

    /** Adds a token; returns true when the text now contains a stop string (the text before it was streamed). */
    boolean add(long token) {
        ids.add(token);
        String before = decode(prefixOffset, readOffset);
        String after = decode(prefixOffset, ids.size());
        if (after.length() <= before.length() || after.charAt(after.length() - 1) == REPLACEMENT) {
            return false;
        }
        text.append(after, before.length(), after.length());
        prefixOffset = readOffset;
        readOffset = ids.size();
        int stopAt = firstStop();
        if (stopAt >= 0) {
            emitUpTo(stopAt);
            return true;
        }
        emitUpTo(text.length() - heldBack());
        return false;
    }

    /** Streams whatever was held back; call once when generation ends without a stop string. */
    void flush() {
        emitUpTo(text.length());
    }

    private int firstStop() {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, Math.max(0, emitted - stop.length()));
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** Length of the longest tail of the text that is the start of some stop string. */
    private int heldBack() {
        int held = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, text.length() - emitted); length > held; length--) {
                if (text.substring(text.length() - length).equals(stop.substring(0, length))) {
                    held = length;
                    break;
                }
            }
        }
        return held;
    }

    private void emitUpTo(int end) {
        if (end > emitted) {
            sink.onText(text.substring(emitted, end));
            emitted = end;
        }
    }

    private String decode(int from, int to) {
        if (from >= to) {
            return "";
        }
        long[] window = new long[to - from];
        for (int i = from; i < to; i++) {
            window[i - from] = ids.get(i);
        }
        return tokenizer.decode(window, true);
    }
}
