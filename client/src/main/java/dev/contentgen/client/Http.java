package dev.contentgen.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The HTTP side shared by calls and streams: the base URL, the API key, one java.net.http client. */
final class Http {
    private final URI base;
    private final String authorization;
    private final HttpClient client;
    private final Duration answerTimeout;

    Http(URI base, String apiKey, HttpClient client, Duration answerTimeout) {
        String text = base.toString();
        // Paths resolve relative to the base, so a server behind a path prefix (https://host/contentgen/) works.
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey.strip();
        this.client = client;
        this.answerTimeout = answerTimeout;
    }

    /** A request for {@code path} (relative, e.g. "api/jobs"), authorised, timing out if no answer comes. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(answerTimeout)
                .header("User-Agent", "contentgen-java/0.1");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    HttpClient client() {
        return client;
    }

    URI base() {
        return base;
    }

    /** A job id as one path segment, so odd input cannot reach another route. */
    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
