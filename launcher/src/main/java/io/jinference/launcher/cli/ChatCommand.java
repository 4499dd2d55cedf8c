package io.jinference.launcher.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "chat", description = "Chat with a launched model: one line per turn, /exit quits.")
public final class ChatCommand extends RemoteCommand {
    @Parameters(index = "0", description = "Model UID")
    String uid;
    @Option(names = "--max-tokens", description = "Tokens per answer at most")
    Integer maxTokens;
    @Option(names = "--temperature", description = "Sampling temperature")
    Double temperature;

    @Override
    void run(RestClient client) throws RestClient.ServerUnreachableException {
        List<Map<String, String>> conversation = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out().print("> ");
            out().flush();
            String line = readLine(in);
            if (line == null || line.strip().equals("/exit")) {
                return;
            }
            if (line.isBlank()) {
                continue;
            }
            conversation.add(Map.of("role", "user", "content", line));
            StringBuilder answer = new StringBuilder();
            client.stream("/v1/chat/completions", request(conversation), event -> {
                String delta = event.path("choices").path(0).path("delta").path("content").asText("");
                answer.append(delta);
                out().print(delta);
                out().flush();
            });
            out().println();
            conversation.add(Map.of("role", "assistant", "content", answer.toString()));
        }
    }

    private Map<String, Object> request(List<Map<String, String>> conversation) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", uid);
        body.put("messages", conversation);
        body.put("stream", true);
        if (maxTokens != null) {
            body.put("max_tokens", maxTokens);
        }
        if (temperature != null) {
            body.put("temperature", temperature);
        }
        return body;
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
