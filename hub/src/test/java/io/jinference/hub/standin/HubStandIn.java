package io.jinference.hub.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A STAND-IN for the Hugging Face Hub (and ModelScope) on loopback: the real hubs cannot be reached from the machines
 * that test Jinference. It speaks the parts of their HTTP APIs that downloads use, as huggingface_hub and the hub's
 * documentation describe them, and its answers are checked against huggingface_hub itself (clients-hub/ pytest):
 * <ul>
 * <li>{@code GET /api/models/{repo}/revision/{rev}}: {@code id}, {@code sha}, {@code siblings} with {@code rfilename},
 * {@code size}, {@code blobId} and, for LFS files, {@code lfs: {sha256, size, pointerSize}};</li>
 * <li>{@code HEAD|GET /{repo}/resolve/{rev}/{path}}: a git file answered with {@code ETag} (its git blob id) and
 * {@code X-Repo-Commit}; an LFS file redirected (302) to a signed {@code /cdn/{sha256}?expires=N} with
 * {@code X-Repo-Commit}, {@code X-Linked-Etag} and {@code X-Linked-Size}; unknown repositories and files 404 with
 * {@code X-Error-Code};</li>
 * <li>{@code GET /cdn/{sha256}?expires=N}: the bytes, with {@code Range} (206, {@code Content-Range}); 403 once the
 * link has expired, as a real CDN's signed URL does;</li>
 * <li>ModelScope: {@code GET /api/v1/models/{repo}/repo/files} and
 * {@code GET /api/v1/models/{repo}/repo?FilePath=}.</li>
 * </ul>
 * {@code GET /_stand-in/stats} (the stand-in's own, for tests in other processes) tells the bytes served and API calls.
 * Faults for tests: cut the connection after a number of a file's bytes (then refuse it with 503 until healed),
 * corrupt one byte of a file, list a file with a size larger than it is, throttle each connection or all of them
 * together (one link), and let CDN links expire after a number of bodies. It counts the bytes it serves and the resolve
 * requests, and records each request's Range start.
 */
public final class HubStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REVISION = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([0-9a-f]{64})");
    private static final Pattern MS_FILES = Pattern.compile("/api/v1/models/([^/]+/[^/]+)/repo/files");
    private static final Pattern MS_FILE = Pattern.compile("/api/v1/models/([^/]+/[^/]+)/repo");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    /** How far behind its schedule a shared link may be and still catch up (see waitForLink). */
    private static final long LINK_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final HttpServer server;
    private final String host;
    private final Map<String, StandInRepo> repos = new ConcurrentHashMap<>();
    private final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> corruptAt = new ConcurrentHashMap<>();
    private final Map<String, Long> listedSizes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final List<String> rangeLog = new CopyOnWriteArrayList<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong resolveCalls = new AtomicLong();
    /** The signature of the CDN links given now; a link with another one has expired. */
    private final AtomicInteger cdnSignature = new AtomicInteger();
    private final AtomicInteger cdnBodies = new AtomicInteger();
    private volatile int cdnBodiesPerLink;
    private volatile String cdnHost;
    private final AtomicLong resolveCallsWithToken = new AtomicLong();
    private final AtomicLong cdnCallsWithToken = new AtomicLong();
    private final AtomicInteger bodiesInFlight = new AtomicInteger();
    private final AtomicInteger mostBodiesAtOnce = new AtomicInteger();
    private final List<Integer> bodiesAtStart = new CopyOnWriteArrayList<>();
    private volatile long bytesPerSecond;
    private volatile long linkBytesPerSecond;
    /** When the shared link is free again: each write books its bytes' time on it. */
    private final AtomicLong linkFreeAtNanos = new AtomicLong(Long.MIN_VALUE);

    private HubStandIn(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Starts on a free loopback port. */
    public static HubStandIn start() throws IOException {
        return start(0);
    }

    public static HubStandIn start(int port) throws IOException {
        return start(null, port);
    }

    /**
     * Starts on this IPv4 address (null: loopback), e.g. one in a network namespace behind an emulated link
     * (scripts/bench-download.sh's LINK); the endpoint and the CDN redirects then name that address.
     */
    public static HubStandIn start(InetAddress address, int port) throws IOException {
        InetAddress bound = address == null ? InetAddress.getLoopbackAddress() : address;
        HttpServer server = HttpServer.create(new InetSocketAddress(bound, port), 64);
        HubStandIn standIn = new HubStandIn(server, address == null ? "127.0.0.1" : address.getHostAddress());
        server.createContext("/", standIn::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "hub-stand-in");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return standIn;
    }

    public URI endpoint() {
        return URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    public StandInRepo add(StandInRepo repo) {
        repos.put(repo.repoId(), repo);
        return repo;
    }

    /** After {@code bytes} of this file have been served (over all requests), cut the connection; refuse it then. */
    public void cutAfter(String sha256, long bytes) {
        cutAfter.put(sha256, bytes);
    }

    /** Serves file bytes at about this rate per request (0: as fast as it can), so that a test can act mid-file. */
    public void throttle(long limit) {
        bytesPerSecond = limit;
    }

    /**
     * Serves file bytes at about this rate over all requests together, as through one link (0: no limit): parallel
     * requests then share the rate instead of each having it.
     */
    public void throttleLink(long limit) {
        linkBytesPerSecond = limit;
    }

    /**
     * Redirects LFS files to a CDN at this host name (e.g. {@code localhost}: the same server under another name), so
     * that a test can tell what a client sends to the hub from what it sends to the CDN.
     */
    public void cdnOnHost(String host) {
        cdnHost = host;
    }

    /** CDN links expire after this many bodies served through them (0: never), as signed URLs expire in time. */
    public void expireCdnLinksEvery(int bodies) {
        cdnBodiesPerLink = bodies;
    }

    public void heal() {
        cutAfter.clear();
        corruptAt.clear();
    }

    /** Serves this file with the byte at {@code offset} flipped. */
    public void corrupt(String sha256, long offset) {
        corruptAt.put(sha256, offset);
    }

    /** Lists this file with another size in the revision API (a file larger than any disk, for the space check). */
    public void listSize(String sha256, long size) {
        listedSizes.put(sha256, size);
    }

    /** Bytes of this file (by sha256) served so far. */
    public long servedBytes(String sha256) {
        AtomicLong count = served.get(sha256);
        return count == null ? 0 : count.get();
    }

    public long servedBytesTotal() {
        return served.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The most file bodies (whole or ranges) this stand-in was sending at the same time. */
    public int mostBodiesAtOnce() {
        return mostBodiesAtOnce.get();
    }

    /** For each file body, in order, how many bodies were being sent when it began, itself included. */
    public List<Integer> bodiesAtStart() {
        return List.copyOf(bodiesAtStart);
    }

    /** {@code "{sha256}@{first byte}"} for every ranged or whole request for file bytes, in order. */
    public List<String> rangeLog() {
        return List.copyOf(rangeLog);
    }

    public long apiCalls() {
        return apiCalls.get();
    }

    /** Requests to {@code /{repo}/resolve/...}, answered or not. */
    public long resolveCalls() {
        return resolveCalls.get();
    }

    /** Resolve requests that carried an {@code Authorization} header. */
    public long resolveCallsWithToken() {
        return resolveCallsWithToken.get();
    }

    /** CDN requests that carried an {@code Authorization} header (a token leaked to another host). */
    public long cdnCallsWithToken() {
        return cdnCallsWithToken.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Matcher matcher;
            if (path.equals("/_stand-in/stats")) {
                json(exchange, 200, Map.of("served_bytes", servedBytesTotal(), "api_calls", apiCalls.get()));
            } else if ((matcher = REVISION.matcher(path)).matches()) {
                revision(exchange, decode(matcher.group(1)), decode(matcher.group(2)));
            } else if ((matcher = CDN.matcher(path)).matches()) {
                cdn(exchange, matcher.group(1));
            } else if ((matcher = MS_FILES.matcher(path)).matches()) {
                modelScopeFiles(exchange, decode(matcher.group(1)));
            } else if ((matcher = MS_FILE.matcher(path)).matches()) {
                modelScopeFile(exchange, decode(matcher.group(1)), query(exchange).get("FilePath"));
            } else if ((matcher = RESOLVE.matcher(path)).matches()) {
                resolve(exchange, decode(matcher.group(1)), decode(matcher.group(2)), decode(matcher.group(3)));
            } else {
                error(exchange, 404, null, "Not found: " + path);
            }
        }
    }

    private void revision(HttpExchange exchange, String repoId, String revision) throws IOException {
        apiCalls.incrementAndGet();
        StandInRepo repo = repos.get(repoId);
        if (repo == null) {
            error(exchange, 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (!revision.equals("main") && !revision.equals(repo.commit())) {
            error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        List<Map<String, Object>> siblings = new ArrayList<>();
        for (StandInRepo.Entry entry : repo.files().values()) {
            Map<String, Object> sibling = new LinkedHashMap<>();
            sibling.put("rfilename", entry.path());
            long size = listedSizes.getOrDefault(entry.sha256(), entry.size());
            sibling.put("size", size);
            sibling.put("blobId", entry.lfs() ? pointerBlobId(entry) : entry.gitBlobId());
            if (entry.lfs()) {
                sibling.put("lfs", Map.of("sha256", entry.sha256(), "size", size, "pointerSize", 134));
            }
            siblings.add(sibling);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("_id", repo.commit().substring(0, 24));
        body.put("id", repoId);
        body.put("modelId", repoId);
        body.put("sha", repo.commit());
        body.put("private", false);
        body.put("gated", false);
        body.put("siblings", siblings);
        json(exchange, 200, body);
    }

    /** An LFS file's git blob is its pointer file; its id is not the content's. */
    private static String pointerBlobId(StandInRepo.Entry entry) {
        return entry.sha256().substring(0, 40);
    }

    private void resolve(HttpExchange exchange, String repoId, String revision, String path) throws IOException {
        resolveCalls.incrementAndGet();
        if (exchange.getRequestHeaders().containsKey("Authorization")) {
            resolveCallsWithToken.incrementAndGet();
        }
        StandInRepo repo = repos.get(repoId);
        if (repo == null) {
            error(exchange, 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (!revision.equals("main") && !revision.equals(repo.commit())) {
            error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        StandInRepo.Entry entry = repo.files().get(path);
        if (entry == null) {
            error(exchange, 404, "EntryNotFound", "Entry not found");
            return;
        }
        exchange.getResponseHeaders().set("X-Repo-Commit", repo.commit());
        if (entry.lfs()) {
            exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + entry.sha256() + "\"");
            exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(entry.size()));
            exchange.getResponseHeaders().set("ETag", "\"" + pointerBlobId(entry) + "\"");
            String host = cdnHost;
            URI cdn = host == null ? endpoint() : URI.create("http://" + host + ":" + endpoint().getPort());
            exchange.getResponseHeaders().set("Location", cdn + "/cdn/" + entry.sha256() + "?expires="
                    + cdnSignature.get());
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + entry.gitBlobId() + "\"");
        body(exchange, entry);
    }

    private void cdn(HttpExchange exchange, String sha256) throws IOException {
        StandInRepo.Entry entry = repos.values().stream().flatMap(repo -> repo.files().values().stream())
                .filter(candidate -> candidate.sha256().equals(sha256)).findFirst().orElse(null);
        if (entry == null) {
            error(exchange, 404, null, "No such object");
            return;
        }
        if (!Integer.toString(cdnSignature.get()).equals(query(exchange).get("expires"))) {
            error(exchange, 403, null, "Request has expired");
            return;
        }
        if (exchange.getRequestHeaders().containsKey("Authorization")) {
            cdnCallsWithToken.incrementAndGet();
        }
        int perLink = cdnBodiesPerLink;
        if (perLink > 0 && cdnBodies.incrementAndGet() % perLink == 0) {
            // Expired for the requests after this one, before this body's bytes let the client ask for its next range.
            cdnSignature.incrementAndGet();
        }
        exchange.getResponseHeaders().set("ETag", "\"" + sha256 + "\"");
        body(exchange, entry);
    }

    private void modelScopeFiles(HttpExchange exchange, String repoId) throws IOException {
        apiCalls.incrementAndGet();
        StandInRepo repo = repos.get(repoId);
        if (repo == null) {
            json(exchange, 404, Map.of("Code", 10010205001L, "Message", "model not found", "Success", false));
            return;
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (StandInRepo.Entry entry : repo.files().values()) {
            int slash = entry.path().lastIndexOf('/');
            files.add(Map.of("Name", entry.path().substring(slash + 1), "Path", entry.path(), "Type", "blob",
                    "Size", entry.size(), "Sha256", entry.sha256(), "Revision", repo.commit()));
        }
        json(exchange, 200, Map.of("Code", 200, "Data", Map.of("Files", files), "Success", true));
    }

    private void modelScopeFile(HttpExchange exchange, String repoId, String path) throws IOException {
        StandInRepo repo = repos.get(repoId);
        StandInRepo.Entry entry = repo == null || path == null ? null : repo.files().get(path);
        if (entry == null) {
            json(exchange, 404, Map.of("Code", 10010205001L, "Message", "file not found", "Success", false));
            return;
        }
        body(exchange, entry);
    }

    /** The file's bytes, whole or a Range, with the faults a test asked for. */
    private void body(HttpExchange exchange, StandInRepo.Entry entry) throws IOException {
        long size = entry.size();
        long from = 0;
        long to = size - 1;
        String range = exchange.getRequestHeaders().getFirst("Range");
        boolean partial = false;
        if (range != null) {
            Matcher matcher = RANGE.matcher(range.trim());
            if (matcher.matches()) {
                from = Long.parseLong(matcher.group(1));
                to = matcher.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(matcher.group(2)));
                partial = true;
                if (from >= size) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
            }
        }
        Long cut = cutAfter.get(entry.sha256());
        AtomicLong count = served.computeIfAbsent(entry.sha256(), key -> new AtomicLong());
        if (cut != null && count.get() >= cut) {
            error(exchange, 503, null, "Service temporarily unavailable (stand-in fault)");
            return;
        }
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        long length = to - from + 1;
        if (partial) {
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(partial ? 206 : 200, -1);
            return;
        }
        rangeLog.add(entry.sha256() + "@" + from);
        exchange.sendResponseHeaders(partial ? 206 : 200, length);
        Long corrupt = corruptAt.get(entry.sha256());
        int atOnce = bodiesInFlight.incrementAndGet();
        mostBodiesAtOnce.accumulateAndGet(atOnce, Math::max);
        bodiesAtStart.add(atOnce);
        boolean inFlight = true;
        try (RandomAccessFile file = new RandomAccessFile(entry.source().toFile(), "r");
                OutputStream out = exchange.getResponseBody()) {
            file.seek(from);
            long bodyStarted = System.nanoTime();
            byte[] buffer = new byte[64 * 1024];
            long position = from;
            while (position <= to) {
                int n = file.read(buffer, 0, (int) Math.min(buffer.length, to - position + 1));
                if (n < 0) {
                    break;
                }
                if (cut != null) {
                    long allowed = cut - count.get();
                    if (allowed <= 0) {
                        throw new IOException("stand-in fault: connection cut");
                    }
                    n = (int) Math.min(n, allowed);
                }
                if (corrupt != null && corrupt >= position && corrupt < position + n) {
                    buffer[(int) (corrupt - position)] ^= 0x5A;
                }
                boolean last = position + n > to;
                if (last) {
                    // Counted out before its last bytes leave: the client, once it has them, may ask for its next
                    // range at once, and that range must not count this one as still being sent.
                    bodiesInFlight.decrementAndGet();
                    inFlight = false;
                }
                out.write(buffer, 0, n);
                out.flush();
                count.addAndGet(n);
                position += n;
                if (last) {
                    break;
                }
                long limit = bytesPerSecond;
                if (limit > 0) {
                    // Paced to the body's own schedule, not by a pause per write: a sender that wakes late (a busy
                    // machine) catches up, so the rate is the one asked for, however loaded the machine is.
                    pauseUntil(bodyStarted + (position - from) * 1_000_000_000L / limit);
                }
                waitForLink(n);
            }
        } finally {
            if (inFlight) {
                bodiesInFlight.decrementAndGet();
            }
        }
    }

    private void waitForLink(int bytes) throws IOException {
        long limit = linkBytesPerSecond;
        if (limit <= 0) {
            return;
        }
        long cost = bytes * 1_000_000_000L / limit;
        long due = linkFreeAtNanos.accumulateAndGet(cost, (free, booked) -> {
            long now = System.nanoTime();
            // A sender that woke late catches up on the link's schedule, so that one connection alone gets the whole
            // rate on a busy machine too; a link idle for longer than that starts afresh, with no burst.
            return (free >= now - LINK_CATCH_UP_NANOS ? free : now) + booked;
        });
        pauseUntil(due);
    }

    private static void pauseUntil(long dueNanos) throws IOException {
        long wait = dueNanos - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (code != null) {
            exchange.getResponseHeaders().set("X-Error-Code", code);
        }
        exchange.getResponseHeaders().set("X-Error-Message", message);
        json(exchange, status, Map.of("error", message));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
                }
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
