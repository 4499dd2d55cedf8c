package io.jinference.hub;

import java.util.List;
import java.util.Optional;

/**
 * A repository at one commit: what the hub lists for {@code /api/models/{repo}/revision/{revision}}.
 *
 * @param commit the full commit hash the revision resolved to
 */
public record RepoRevision(String repoId, String commit, List<RepoFile> files) {

    public RepoRevision {
        files = List.copyOf(files);
    }

    public Optional<RepoFile> file(String path) {
        return files.stream().filter(file -> file.path().equals(path)).findFirst();
    }
}
