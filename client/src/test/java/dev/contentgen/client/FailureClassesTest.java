package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobRequest;
import dev.contentgen.client.testing.RecordingListener;
import dev.contentgen.client.testing.TestClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each failure class the SDK reports, with the answers that cause it. Where a real node cannot produce
 * the answer (it has no API keys yet, and never sends a non-retryable error event), a few lines of
 * JDK HttpServer play a server that does.
 */
class FailureClassesTest {
    private HttpServer stub;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopStub() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    @Test
    void aServerThatRefusesConnectionsIsUnreachableAfterTheRetryLimit() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + freePort());
        RecordingListener listener = new RecordingListener();
        try (ContentGenClient client = TestClients.client(nobody, listener, 3)) {
            ContentGenException call = catchThrowableOfType(ContentGenException.class, () -> client.jobs().create(JobRequest.of("x")));
            assertThat(call.failure()).isInstanceOf(Failure.ServerUnreachable.class);
            assertThat(call.getMessage()).contains(nobody.toString(), "connection refused", "Gave up after 3 attempts");
            assertThat(listener.retries).hasSize(2).allSatisfy(r -> assertThat(r.cause()).isInstanceOf(Failure.ServerUnreachable.class));

            listener.retries.clear();
            try (EventStream events = client.jobs().events("some-job")) {
                ContentGenException stream = catchThrowableOfType(ContentGenException.class, () -> events.iterator().hasNext());
                assertThat(stream.failure()).isInstanceOf(Failure.ServerUnreachable.class);
                assertThat(stream.getMessage()).contains("Gave up after 3 attempts");
            }
            assertThat(listener.retries).hasSize(2);
            assertThat(listener.retries.getFirst().describe()).startsWith("reconnecting to the events of job some-job (attempt 2, in ");
        }
    }

    @Test
    void anUnknownHostIsUnreachable() {
        try (ContentGenClient client = TestClients.client(URI.create("http://no-such-host.invalid:8080"), new RecordingListener(), 1)) {
            ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> client.jobs().list(null, 5));
            assertThat(e.failure()).isInstanceOf(Failure.ServerUnreachable.class);
            assertThat(e.getMessage()).contains("no-such-host.invalid");
        }
    }

    @Test
    void unauthorizedAndForbiddenAreNotRetriedAndSayToCheckTheKey() throws Exception {
        for (int status : new int[] {401, 403}) {
            startStub(status, "application/problem+json",
                    "{\"status\":" + status + ",\"detail\":\"The API key is not valid.\",\"code\":\"SOMETHING_NEW\"}");
            RecordingListener listener = new RecordingListener();
            try (ContentGenClient client = ContentGenClient.builder().baseUrl(stubUri()).apiKey("k-123").listener(listener).build()) {
                ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> client.jobs().get("j1"));
                assertThat(e.failure()).isEqualTo(new Failure.Unauthorized(status,
                        "The server refused the request (" + status + "): The API key is not valid. Check the API key (CONTENTGEN_API_KEY)."));
                try (EventStream events = client.jobs().events("j1")) {
                    assertThat(catchThrowableOfType(ContentGenException.class, () -> events.iterator().hasNext()).failure())
                            .isInstanceOf(Failure.Unauthorized.class);
                }
            }
            assertThat(listener.retries).isEmpty();
            assertThat(authorizations).contains("Bearer k-123");
            stub.stop(0);
        }
    }

    @Test
    void anErrorEventTheServerMarksNotRetryableEndsTheStreamWithThatError() throws Exception {
        startStub(200, "text/event-stream", "retry: 10\n\nevent: error\ndata: {\"code\":\"INTERNAL\",\"message\":\"Broken beyond repair.\",\"retryable\":false}\n\n");
        RecordingListener listener = new RecordingListener();
        try (ContentGenClient client = TestClients.client(stubUri(), listener, 3);
             EventStream events = client.jobs().events("j1")) {
            ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> events.iterator().hasNext());
            assertThat(e.failure()).isEqualTo(new Failure.ErrorEvent(ErrorCode.INTERNAL, "Broken beyond repair.", false));
            assertThat(listener.errorEvents).containsExactly((Failure.ErrorEvent) e.failure());
            assertThat(listener.retries).isEmpty();
        }
    }

    @Test
    void aRetryableErrorEventIsTheCauseOfTheReconnection() throws Exception {
        startStub(200, "text/event-stream", "retry: 10\n\nevent: error\ndata: {\"code\":\"SERVER_SHUTTING_DOWN\",\"message\":\"Restarting.\",\"retryable\":true}\n\n");
        RecordingListener listener = new RecordingListener();
        try (ContentGenClient client = TestClients.client(stubUri(), listener, 3);
             EventStream events = client.jobs().events("j1")) {
            Thread reader = Thread.ofVirtual().start(() -> events.iterator().hasNext());
            listener.awaitRetry(f -> f instanceof Failure.ErrorEvent e && e.code() == ErrorCode.SERVER_SHUTTING_DOWN,
                    java.time.Duration.ofSeconds(10));
            events.close();
            reader.join(10_000);
            assertThat(reader.isAlive()).isFalse();
        }
    }

    @Test
    void anHtmlPageInsteadOfAnEventStreamIsAnUnexpectedResponse() throws Exception {
        startStub(200, "text/html", "<html>Please log in to the Wi-Fi</html>");
        try (ContentGenClient client = TestClients.client(stubUri());
             EventStream events = client.jobs().events("j1")) {
            ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> events.iterator().hasNext());
            assertThat(e.failure()).isInstanceOf(Failure.UnexpectedResponse.class);
            assertThat(e.getMessage()).contains("text/html instead of an event stream");
        }
    }

    private void startStub(int status, String contentType, String body) throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        stub.start();
    }

    private URI stubUri() {
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
