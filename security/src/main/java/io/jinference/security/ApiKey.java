package io.jinference.security;

import java.util.List;

/**
 * One key as the key file stores it: never the key itself, only its SHA-256. A key is 256 random bits, so a plain
 * hash cannot be reversed by guessing (a slow password hash protects guessable secrets, not random ones).
 *
 * @param id a short public name for logs and for revoking (the first characters of the hash)
 * @param models the model UIDs a user key may use; empty means every model
 */
public record ApiKey(String id, Role role, String sha256, List<String> models) {

    public ApiKey {
        models = List.copyOf(models);
    }

    public boolean allows(String model) {
        return role == Role.ADMIN || models.isEmpty() || (model != null && models.contains(model));
    }
}
