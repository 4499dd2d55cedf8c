package io.jinference.examples.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {

    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void readTokenizer() throws Exception {
        tokenizer = WordPieceTokenizer.read(MiniLm.folder().resolve(MiniLm.TOKENIZER));
    }

    @Test
    void wrapsTheTextInClsAndSepWithBertUncasedIds() {
        // bert-base-uncased: [CLS]=101 hello=7592 ,=1010 world=2088 !=999 [SEP]=102
        assertThat(tokenizer.encode("Hello, world!")).containsExactly(101, 7592, 1010, 2088, 999, 102);
    }

    @Test
    void splitsAnUnknownWordIntoWordPieces() {
        assertThat(tokenizer.tokenize("tokenization")).containsExactly("token", "##ization");
    }

    @Test
    void lowerCasesStripsAccentsAndSplitsPunctuation() {
        assertThat(tokenizer.tokenize("Café  NAÏVE-done.")).containsExactly("cafe", "naive", "-", "done", ".");
    }

    @Test
    void givesEachChineseCharacterItsOwnToken() {
        assertThat(tokenizer.tokenize("中文")).containsExactly("中", "文");
    }

    @Test
    void dropsControlCharactersAndTruncatesLongTexts() {
        assertThat(tokenizer.tokenize("a\u0000b\u0007c")).containsExactly("abc");
        assertThat(tokenizer.encode("word ".repeat(1000))).hasSize(128).endsWith(102);
    }

    @Test
    void answersUnknownForAnUnsplittableWord() {
        assertThat(tokenizer.tokenize("\u2603")).containsExactly("[UNK]");
    }
}
