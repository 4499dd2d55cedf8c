package io.jinference.hub;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Where one file's ranges are asked for: the hub's resolve URL for the first, then the URL it redirected to (an LFS
 * file's CDN URL), so that a file fetched in many ranges costs the hub one resolve request, not one per range (the Hub
 * limits resolve requests per hour; huggingface_hub resolves once per file too). A remembered URL that stops answering
 * with the bytes (a signed CDN URL that expired) is dropped, and the range is asked of the hub again at once.
 */
final class RangeTarget {
    private final HubHttp http;
    private final URI resolve;
    private final String token;
    /** The redirect target of an earlier range of this file, or null. */
    private volatile URI remembered;

    RangeTarget(HubHttp http, URI resolve, String token) {
        this.http = http;
        this.resolve = resolve;
        this.token = token;
    }

    /** The hub's URL of the file, for messages. */
    URI resolveUri() {
        return resolve;
    }

    /** GET with {@code headers} (a Range), from the remembered redirect target when there is one. */
    HubHttp.Response get(Map<String, String> headers) throws IOException, InterruptedException {
        URI target = remembered;
        if (target != null) {
            HubHttp.Response response = http.get(target, token, resolve.getHost(), headers);
            if (servesBytes(response.status())) {
                return response;
            }
            response.abort();
            remembered = null;
        }
        HubHttp.Response response = http.get(resolve, token, headers);
        if (servesBytes(response.status()) && !response.uri().equals(resolve)) {
            remembered = response.uri();
        }
        return response;
    }

    private static boolean servesBytes(int status) {
        return status == 200 || status == 206;
    }
}
