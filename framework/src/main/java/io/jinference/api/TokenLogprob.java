package io.jinference.api;

import java.util.List;
import java.util.Objects;

/**
 * The log probability of one generated token, and the most likely alternatives at its position: OpenAI's
 * {@code logprobs.content[]}.
 *
 * @param token the token's text
 * @param logprob its natural log probability (at most 0)
 * @param top the most likely tokens at this position, most likely first; empty unless top logprobs were asked for
 * @since 1.2
 */
public record TokenLogprob(String token, double logprob, List<TokenLogprob> top) {
    public TokenLogprob {
        Objects.requireNonNull(token, "token");
        top = top == null ? List.of() : List.copyOf(top);
    }
}
