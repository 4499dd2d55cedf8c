package io.jinference.launcher.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.TokenSink;
import io.jinference.api.ToolCallDelta;
import io.jinference.api.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming side: an answer fed in pieces cut at every position (inside a marker, inside the JSON, between
 * surrogate halves' neighbours) gives the same text and calls as whole, and no piece of a marker ever goes on as text.
 */
final class ToolCallingSinkTest {
    private static final Generation STOPPED = new Generation(FinishReason.STOP, new Usage(5, 9));

    /** What reached the client: text pieces and call pieces, in order. */
    private static final class Recorded implements TokenSink {
        final StringBuilder text = new StringBuilder();
        final List<String> pieces = new ArrayList<>();
        final List<ToolCallDelta> calls = new ArrayList<>();

        @Override
        public void onText(String delta) {
            text.append(delta);
            pieces.add(delta);
        }

        @Override
        public void onToolCall(ToolCallDelta delta) {
            calls.add(delta);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    private static Recorded feed(ToolCallFormat format, Generation end, Generation[] finished, String... pieces) {
        Recorded client = new Recorded();
        ToolCallingSink sink = new ToolCallingSink(format, client);
        for (String piece : pieces) {
            sink.onText(piece);
        }
        finished[0] = sink.finish(end);
        return client;
    }

    /** Every split of {@code answer} in two and in single characters. */
    private static List<String[]> splits(String answer) {
        List<String[]> splits = new ArrayList<>();
        for (int at = 0; at <= answer.length(); at++) {
            splits.add(new String[] {answer.substring(0, at), answer.substring(at)});
        }
        splits.add(answer.codePoints().mapToObj(Character::toString).toArray(String[]::new));
        return splits;
    }

    @Test
    void hermesCallAfterTextAtEverySplit() {
        String answer = "Let me look that up ☀️ for you.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
                + "{\"city\": \"Paris\"}}\n</tool_call>";
        for (String[] pieces : splits(answer)) {
            Generation[] end = new Generation[1];
            Recorded client = feed(ToolCallFormat.HERMES, STOPPED, end, pieces);
            assertThat(client.text.toString()).isEqualTo("Let me look that up ☀️ for you.\n");
            assertThat(client.pieces).noneMatch(piece -> piece.contains("<"));
            assertThat(client.calls).hasSize(2);
            assertThat(client.calls.get(0).index()).isZero();
            assertThat(client.calls.get(0).id()).startsWith("call_");
            assertThat(client.calls.get(0).name()).isEqualTo("get_weather");
            assertThat(client.calls.get(0).arguments()).isEmpty();
            assertThat(client.calls.get(1).id()).isNull();
            assertThat(client.calls.get(1).arguments()).isEqualTo("{\"city\":\"Paris\"}");
            assertThat(end[0].finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
            assertThat(end[0].usage()).isEqualTo(STOPPED.usage());
        }
    }

    @Test
    void textThatOnlyLooksLikeAMarkerStartGoesOnWhole() {
        String answer = "a < b and [TOOL or <|python are not calls <tool";
        for (ToolCallFormat format : ToolCallFormat.values()) {
            for (String[] pieces : splits(answer)) {
                Generation[] end = new Generation[1];
                Recorded client = feed(format, STOPPED, end, pieces);
                assertThat(client.text.toString()).isEqualTo(answer);
                assertThat(client.calls).isEmpty();
                assertThat(end[0].finishReason()).isEqualTo(FinishReason.STOP);
            }
        }
    }

    @Test
    void malformedCallsAndCallsCutByMaxTokensStayText() {
        String malformed = "Sure.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call>";
        Generation[] end = new Generation[1];
        Recorded client = feed(ToolCallFormat.HERMES, STOPPED, end, malformed.substring(0, 9), malformed.substring(9));
        assertThat(client.text.toString()).isEqualTo(malformed);
        assertThat(client.calls).isEmpty();
        assertThat(end[0].finishReason()).isEqualTo(FinishReason.STOP);

        String whole = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}";
        Generation cut = new Generation(FinishReason.LENGTH, new Usage(5, 20));
        client = feed(ToolCallFormat.HERMES, cut, end, whole);
        assertThat(client.text.toString()).isEqualTo(whole);
        assertThat(end[0].finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void llama3BareJsonOnlyAtTheStart() {
        String answer = "\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}; "
                + "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}";
        for (String[] pieces : splits(answer)) {
            Generation[] end = new Generation[1];
            Recorded client = feed(ToolCallFormat.LLAMA3_JSON, STOPPED, end, pieces);
            assertThat(client.text.toString()).isBlank();
            assertThat(client.calls).extracting(ToolCallDelta::index).containsExactly(0, 0, 1, 1);
            assertThat(client.calls.get(3).arguments()).isEqualTo("{\"city\":\"Rome\"}");
            assertThat(end[0].finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        }
        String prose = "In JSON: {\"a\": 1}";
        Generation[] end = new Generation[1];
        Recorded client = feed(ToolCallFormat.LLAMA3_JSON, STOPPED, end, "In JSON: ", "{\"a\": 1}");
        assertThat(client.text.toString()).isEqualTo(prose);
        assertThat(client.pieces).containsExactly("In JSON: ", "{\"a\": 1}");
    }

    @Test
    void mistralCallsGetIdsItsTemplatesAccept() {
        String answer = "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]";
        for (String[] pieces : splits(answer)) {
            Generation[] end = new Generation[1];
            Recorded client = feed(ToolCallFormat.MISTRAL, STOPPED, end, pieces);
            assertThat(client.text.toString()).isEmpty();
            assertThat(client.calls.get(0).id()).matches("[A-Za-z0-9]{9}");
            assertThat(end[0].finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        }
    }
}
