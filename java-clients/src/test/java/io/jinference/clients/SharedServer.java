package io.jinference.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the tests one {@link JinfServe} for the whole run: started for the first class that asks, stopped when JUnit
 * closes its root store at the end. Starting the server and llama-server once keeps the module quick.
 */
final class SharedServer implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == JinfServe.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(JinfServe.class, key -> JinfServe.startWithSmolLm2(home()), JinfServe.class);
    }

    private static Path home() {
        try {
            return Files.createTempDirectory("jinference-java-clients");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
