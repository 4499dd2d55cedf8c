package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.ModelFamily;
import io.jinference.catalog.ModelCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/models/families}: catalog family names grouped by ability, as Xinference lists them. */
final class FamiliesHandler {
    private static final List<String> GROUPS = List.of("chat", "generate", "tools", "vision", "reasoning", "audio",
            "omni", "hybrid");
    private final ModelCatalog catalog;

    FamiliesHandler(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    void families(Context ctx) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        GROUPS.forEach(group -> groups.put(group, new ArrayList<>()));
        for (ModelFamily family : catalog.families()) {
            for (String ability : family.abilities()) {
                List<String> names = groups.get(ability);
                if (names != null) {
                    names.add(family.name());
                }
            }
        }
        Json.send(ctx, groups);
    }
}
