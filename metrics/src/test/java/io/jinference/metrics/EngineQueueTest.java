package io.jinference.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The queue length under each engine server's own name, as they write it. */
final class EngineQueueTest {
    @Test
    void llamaServersDeferredRequests() {
        String llamaServer = """
                # HELP llamacpp:requests_processing Number of requests processing
                # TYPE llamacpp:requests_processing gauge
                llamacpp:requests_processing 1
                # HELP llamacpp:requests_deferred Number of requests deferred
                # TYPE llamacpp:requests_deferred gauge
                llamacpp:requests_deferred 3
                """;
        assertThat(EngineQueue.waiting(llamaServer)).hasValue(3);
    }

    @Test
    void vllmsWaitingRequestsSummedOverItsServedNames() {
        String vllm = """
                # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{engine="0",model_name="a"} 2.0
                vllm:num_requests_waiting{engine="0",model_name="b"} 1.0
                vllm:num_requests_waiting_by_reason{reason="capacity"} 7.0
                """;
        assertThat(EngineQueue.waiting(vllm)).hasValue(3);
    }

    @Test
    void aServerWithoutAQueueMetricHasNoQueue() {
        assertThat(EngineQueue.waiting("# TYPE other gauge\nother 5\n")).isEmpty();
    }
}
