package io.jinference.security;

import java.util.Locale;

/** What an API key may do: an {@code admin} key everything, a {@code user} key inference on its models. */
public enum Role {
    ADMIN,
    USER;

    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name == null ? "" : name.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown role '" + name + "': use admin or user");
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
