package io.jinference.launcher.cli;

import io.jinference.launcher.JinferenceHome;
import io.jinference.security.ApiKey;
import io.jinference.security.ApiKeyFile;
import io.jinference.security.Role;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jinf keys create|list|revoke}: the API key file of a server ({@code jinf serve --api-key-file}). Works on the
 * file directly; a running server rereads it at its next request.
 */
@Command(name = "keys", description = "Create, list and revoke API keys (stored hashed in the key file).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand {

    abstract static class OnFile implements Callable<Integer> {
        @Option(names = "--file", description = "Key file (default: $JINFERENCE_HOME/api-keys.json)")
        Path file;
        @Option(names = "--home", description = "Jinference home (default: $JINFERENCE_HOME, else ~/.jinference)")
        Path home;
        @Spec
        CommandSpec spec;

        ApiKeyFile keyFile() {
            return new ApiKeyFile(file != null ? file : JinferenceHome.resolve(home).resolve("api-keys.json"));
        }
    }

    @Command(name = "create", description = "Create a key and print it once; only its hash is stored.")
    static final class Create extends OnFile {
        @Option(names = "--role", required = true, description = "admin or user")
        String role;
        @Option(names = "--models", split = ",", description = "Model UIDs a user key may use (default: all)")
        List<String> models;

        @Override
        public Integer call() {
            Role parsed = Role.parse(role);
            if (parsed == Role.ADMIN && models != null && !models.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--models limits user keys only; an admin key may use every model");
            }
            ApiKeyFile keys = keyFile();
            String key = keys.create(parsed, models == null ? List.of() : models);
            spec.commandLine().getOut().println(key);
            spec.commandLine().getErr().println("Stored the hash of this " + parsed.wireName() + " key in "
                    + keys.path() + "; the key itself is shown only now. Start the server with --api-key-file "
                    + keys.path());
            return 0;
        }
    }

    @Command(name = "list", description = "List the keys: id, role, models (never the keys themselves).")
    static final class ListKeys extends OnFile {
        @Override
        public Integer call() {
            for (ApiKey key : keyFile().read()) {
                spec.commandLine().getOut().printf("%-14s %-6s %s%n", key.id(), key.role().wireName(),
                        key.models().isEmpty() ? "*" : String.join(",", key.models()));
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Remove keys by id (as 'jinf keys list' shows them).")
    static final class Revoke extends OnFile {
        @Parameters(arity = "1..*", description = "Key ids")
        String[] ids;

        @Override
        public Integer call() {
            ApiKeyFile keys = keyFile();
            List<String> missing = Arrays.stream(ids).filter(id -> !keys.revoke(id)).toList();
            if (!missing.isEmpty()) {
                spec.commandLine().getErr().println("No key with id " + String.join(", ", missing));
                return 1;
            }
            return 0;
        }
    }
}
