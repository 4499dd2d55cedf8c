package io.jinference.bench;

/**
 * The figures of one measuring round on one server.
 *
 * @param prefillTokensPerSecond   prompt tokens over the time to the first token of a max_tokens=1 request
 * @param prefillPromptTokens      the prompt's length in tokens
 * @param timeToFirstTokenMillis   time to first token of the single-stream decode request (short prompt)
 * @param singleDecodePerSecond    decode rate of one stream (tokens after the first over their time span)
 * @param singleTokens             tokens that stream produced
 * @param concurrentPerSecond      tokens of all concurrent streams over the wall time from first send to last done
 * @param concurrentTokens         tokens those streams produced together
 * @param usageReported            whether the server reported usage in its streams (else chunks were counted)
 */
record RoundFigures(double prefillTokensPerSecond, int prefillPromptTokens, double timeToFirstTokenMillis,
                    double singleDecodePerSecond, int singleTokens, double concurrentPerSecond, int concurrentTokens,
                    boolean usageReported) {
}
