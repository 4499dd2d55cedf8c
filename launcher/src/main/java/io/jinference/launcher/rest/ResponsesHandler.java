package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API (text, function tools, structured output, streaming) on top of
 * this server's own {@code /v1/chat/completions}, called on loopback with the caller's key, so that the chat route's
 * checks, engines, abilities and forced tool choices apply unchanged. Responses are not stored.
 */
final class ResponsesHandler {
    private final Loopback loopback;

    ResponsesHandler(Supplier<String> address) {
        this.loopback = new Loopback(address);
    }

    void create(Context ctx) {
        ObjectNode body = Json.body(ctx);
        ResponsesRequest request = ResponsesRequest.parse(body);
        ResponseObject response = new ResponseObject(request);
        HttpResponse<InputStream> chat = loopback.post(ctx, "/v1/chat/completions", request.chat());
        if (request.stream()) {
            ResponsesStream.relay(ctx, chat.body(), response);
        } else {
            Json.send(ctx, response.whole(Loopback.read(chat)));
        }
    }
}
