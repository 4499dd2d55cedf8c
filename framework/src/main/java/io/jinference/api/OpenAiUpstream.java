package io.jinference.api;

import java.net.URI;
import java.util.Objects;

/**
 * An OpenAI-compatible server that serves one model (vLLM, SGLang, mlx_lm, llama-server, a model host), so that
 * the host can forward a client's OpenAI request to it as it is, with only the model name replaced.
 *
 * @param baseUrl the server's root, e.g. {@code http://127.0.0.1:41234}; OpenAI paths such as
 *     {@code /v1/chat/completions} resolve against it
 * @param model the name the server knows the model by; the host writes it into forwarded requests and, where it
 *     differs from the model's UID, back into the answers
 * @param closesAfterStream true for a server that closes its connection after every streamed answer although it
 *     announces keep-alive (llama-server does), so the host asks for a connection of its own for each stream instead
 *     of keeping it for the next request
 */
public record OpenAiUpstream(URI baseUrl, String model, boolean closesAfterStream) {
    public OpenAiUpstream {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
    }

    /** A server whose connections can be kept for the next request, as HTTP/1.1 intends. */
    public OpenAiUpstream(URI baseUrl, String model) {
        this(baseUrl, model, false);
    }
}
