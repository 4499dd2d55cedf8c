package io.jinference.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of the Hugging Face Hub HTTP API that downloads use: {@code GET /api/models/{repo}/revision/{revision}}
 * (the commit and the files, with {@code ?blobs=true} their sizes, git blob ids and LFS sha256) and
 * {@code GET /{repo}/resolve/{commit}/{file}} (the bytes, redirected to a CDN for LFS files, Range honoured).
 * {@code HF_ENDPOINT} points it at a mirror.
 */
final class HuggingFaceApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String token;
    private final HubHttp http;

    HuggingFaceApi(URI endpoint, String token, HubHttp http) {
        this.endpoint = endpoint;
        this.token = token;
        this.http = http;
    }

    URI endpoint() {
        return endpoint;
    }

    String token() {
        return token;
    }

    /**
     * Resolves a revision (branch, tag or commit) to its commit and file list.
     *
     * @throws HubException for a repository or revision the hub does not have, or one it refuses without a token
     * @throws IOException when the hub cannot be reached
     */
    RepoRevision revision(String repoId, String revision) throws IOException, InterruptedException {
        URI uri = URI.create(endpoint + "/api/models/" + repoId + "/revision/" + encode(revision) + "?blobs=true");
        HubHttp.Document answer = http.getDocument(uri, token);
        if ("RepoNotFound".equals(answer.errorCode())) {
            // the hub answers 401 rather than 404 to anonymous callers, so as not to tell private repositories apart
            throw new HubException("Hugging Face repository " + repoId + " was not found at " + endpoint
                    + (token == null ? " (if it is private, set HF_TOKEN)" : ""));
        }
        if ("RevisionNotFound".equals(answer.errorCode())) {
            throw new HubException("Hugging Face repository " + repoId + " has no revision " + revision);
        }
        switch (answer.status()) {
            case 200 -> {
                return parse(repoId, JSON.readTree(answer.body()));
            }
            case 401, 403 -> throw new HubException("Hugging Face repository " + repoId + " at " + endpoint
                    + " refuses access (HTTP " + answer.status() + "): it is gated or private"
                    + (token == null ? "; set HF_TOKEN to a token that may read it" : " for the token in HF_TOKEN"));
            case 404 -> throw new HubException("Hugging Face repository " + repoId + " (revision " + revision
                    + ") was not found at " + endpoint + " (HTTP 404)");
            default -> throw new IOException("Hugging Face at " + endpoint + " answered HTTP " + answer.status()
                    + " for " + uri);
        }
    }

    /** The download address of one file at one commit. */
    URI resolveUri(String repoId, String commit, String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            if (encoded.length() > 0) {
                encoded.append('/');
            }
            encoded.append(encode(segment));
        }
        return URI.create(endpoint + "/" + repoId + "/resolve/" + encode(commit) + "/" + encoded);
    }

    private static RepoRevision parse(String repoId, JsonNode root) throws IOException {
        String commit = root.path("sha").asText(null);
        if (commit == null || commit.isBlank()) {
            throw new IOException("The hub's answer for " + repoId + " names no commit (sha)");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode sibling : root.path("siblings")) {
            JsonNode lfs = sibling.path("lfs");
            String sha256 = lfs.isObject() ? lfs.path("sha256").asText(null) : null;
            long size = lfs.isObject() ? lfs.path("size").asLong(-1) : sibling.path("size").asLong(-1);
            files.add(new RepoFile(sibling.path("rfilename").asText(), size, sha256,
                    sibling.path("blobId").asText(null)));
        }
        return new RepoRevision(root.path("id").asText(repoId), commit, files);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
