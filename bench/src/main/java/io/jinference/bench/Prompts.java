package io.jinference.bench;

import java.util.Random;
import java.util.StringJoiner;

/**
 * Deterministic prompts. Every request gets different text so that neither server can answer from its prompt cache;
 * the same seed gives both servers the same prompts.
 */
final class Prompts {
    private static final String[] WORDS = {
        "river", "market", "lantern", "copper", "garden", "winter", "engine", "harbor", "violin", "meadow",
        "signal", "castle", "pepper", "thunder", "library", "canvas", "orbit", "timber", "glacier", "festival",
        "compass", "velvet", "bakery", "island", "mirror", "pebble", "rocket", "saddle", "tunnel", "whistle",
        "anchor", "blossom", "crystal", "desert", "feather", "granite", "horizon", "journey", "kettle", "ladder",
    };
    private static final String[] TOPICS = {
        "a lighthouse keeper", "a clockmaker's apprentice", "a lost robot", "a mountain village",
        "a dragon who learns to cook", "a sailor in a storm", "a city under the sea", "a travelling circus",
    };

    private Prompts() {
    }

    /** A long user message (about {@code words} words) that asks for a one-word answer: mostly prefill work. */
    static String prefill(int words, long seed) {
        Random random = new Random(seed);
        StringJoiner text = new StringJoiner(" ", "Read these notes, then answer with one word.\nNotes: ", "");
        for (int i = 0; i < words; i++) {
            text.add(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** A short request for a long answer: mostly decode work. */
    static String story(long seed) {
        return "Write a long story about " + TOPICS[(int) Math.floorMod(seed, TOPICS.length)]
                + ". Story number " + seed + ".";
    }
}
