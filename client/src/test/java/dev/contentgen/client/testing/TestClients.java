package dev.contentgen.client.testing;

import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.client.ClientListener;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.client.RetryPolicy;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Clients and node configs for SDK tests: quick retries, so a test with many reconnections stays short. */
public final class TestClients {
    private TestClients() {}

    /** Retries after 10 ms growing to 200 ms; gives up on an unreachable server after {@code maxAttempts}. */
    public static ContentGenClient client(URI base, ClientListener listener, int maxAttempts) {
        return ContentGenClient.builder()
                .baseUrl(base)
                .retry(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(200), maxAttempts))
                .idleTimeout(Duration.ofSeconds(5))
                .listener(listener)
                .build();
    }

    public static ContentGenClient client(URI base) {
        return client(base, new ClientListener() {}, 5);
    }

    /** The test node config with the server's {@code retry:} at 20 ms instead of 2 s. */
    public static Config quickRetryConfig(Path dir) {
        return TestNodes.config(dir).withClientRetry(Duration.ofMillis(20));
    }

    /** Events as the server test helpers see them, for {@code JobLogAssertions} and comparison with {@code Api.fullLog}. */
    public static List<SseEvent> asSse(List<LoggedEvent> events) {
        return events.stream().map(e -> new SseEvent(Long.toString(e.seq()), e.event().type(), Json.writeEvent(e))).toList();
    }
}
