package io.jinference.examples.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BERT tokenizer that a Hugging Face {@code tokenizer.json} with a {@code BertNormalizer},
 * {@code BertPreTokenizer} and {@code WordPiece} model describes: clean and lower-case the text, split on
 * whitespace and punctuation, then split each word greedily into the longest vocabulary pieces.
 */
final class WordPieceTokenizer {

    private static final int DEFAULT_MAX_LENGTH = 512;

    private final Map<String, Integer> vocabulary;
    private final boolean lowercase;
    private final String continuationPrefix;
    private final int maxCharsPerWord;
    private final int maxLength;
    private final int unknown;
    private final int classify;
    private final int separator;

    private WordPieceTokenizer(Map<String, Integer> vocabulary, boolean lowercase, String continuationPrefix,
            int maxCharsPerWord, int maxLength, String unknownToken) {
        this.vocabulary = vocabulary;
        this.lowercase = lowercase;
        this.continuationPrefix = continuationPrefix;
        this.maxCharsPerWord = maxCharsPerWord;
        this.maxLength = maxLength;
        this.unknown = id(unknownToken);
        this.classify = id("[CLS]");
        this.separator = id("[SEP]");
    }

    /** Reads a tokenizer.json; fails with IllegalArgumentException when it is not a BERT WordPiece tokenizer. */
    static WordPieceTokenizer read(Path tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IllegalArgumentException(tokenizerJson.getFileName() + " is not a WordPiece tokenizer (model.type="
                    + model.path("type").asText("missing") + ")");
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        model.path("vocab").fields().forEachRemaining(entry -> vocabulary.put(entry.getKey(), entry.getValue().asInt()));
        return new WordPieceTokenizer(vocabulary,
                root.path("normalizer").path("lowercase").asBoolean(true),
                model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100),
                root.path("truncation").path("max_length").asInt(DEFAULT_MAX_LENGTH),
                model.path("unk_token").asText("[UNK]"));
    }

    /** Token ids of one text: {@code [CLS] pieces… [SEP]}, truncated to the tokenizer's maximum length. */
    long[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(classify);
        for (String word : words(normalize(text))) {
            ids.addAll(pieces(word));
        }
        if (ids.size() > maxLength - 1) {
            ids = ids.subList(0, maxLength - 1);
        }
        ids.add(separator);
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }

    /** The piece strings of a text, without the special tokens; for tests and debugging. */
    List<String> tokenize(String text) {
        Map<Integer, String> byId = new HashMap<>();
        vocabulary.forEach((piece, id) -> byId.put(id, piece));
        long[] ids = encode(text);
        List<String> pieces = new ArrayList<>();
        for (int i = 1; i < ids.length - 1; i++) {
            pieces.add(byId.get((int) ids[i]));
        }
        return pieces;
    }

    private int id(String token) {
        Integer id = vocabulary.get(token);
        if (id == null) {
            throw new IllegalArgumentException("The vocabulary lacks the special token " + token);
        }
        return id;
    }

    /** BertNormalizer: drop control characters, space out CJK ideographs, lower-case and strip accents. */
    private String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || (Character.isISOControl(cp) && !Character.isWhitespace(cp))) {
                return;
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                cleaned.append(' ');
            } else if (isCjk(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        });
        if (!lowercase) {
            return cleaned.toString();
        }
        String decomposed = Normalizer.normalize(cleaned.toString().toLowerCase(java.util.Locale.ROOT),
                Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{Mn}", "");
    }

    /** BertPreTokenizer: whitespace separates words, and every punctuation character is a word of its own. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp == ' ' || isPunctuation(cp)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                if (cp != ' ') {
                    words.add(new String(Character.toChars(cp)));
                }
            } else {
                word.appendCodePoint(cp);
            }
        });
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** WordPiece: longest vocabulary prefix first, continuations marked "##"; an unsplittable word is [UNK]. */
    private List<Integer> pieces(String word) {
        if (word.codePointCount(0, word.length()) > maxCharsPerWord) {
            return List.of(unknown);
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            Integer match = null;
            int end = word.length();
            while (end > start) {
                String candidate = (start > 0 ? continuationPrefix : "") + word.substring(start, end);
                match = vocabulary.get(candidate);
                if (match != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (match == null) {
                return List.of(unknown);
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
