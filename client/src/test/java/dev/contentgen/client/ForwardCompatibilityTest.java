package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.client.testing.RecordingListener;
import dev.contentgen.client.testing.TestClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md, "clients are forward compatible": a server newer than this SDK sends an event type the SDK does
 * not know. A JDK HttpServer plays that server, since a real node only sends the types it knows.
 */
class ForwardCompatibilityTest {
    private static final String JOB = "0193aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";

    private HttpServer server;
    private final List<String> resumePoints = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anUnknownEventTypeIsPassedOverAndStillMovesTheResumePoint() throws Exception {
        // First connection: an unknown event is the last thing before the connection drops.
        // Second: another one mid-stream, then the terminal status.
        start(List.of(
                event(1, "status", "\"status\":\"pending\",\"attempt\":1")
                        + event(2, "usage.report", "\"tokens\":12,\"nested\":{\"a\":[1,2]}"),
                event(3, "status", "\"status\":\"running\",\"attempt\":1")
                        + event(4, "usage.summary", "\"status\":\"running\"")
                        + event(5, "status", "\"status\":\"completed\",\"attempt\":1")));
        RecordingListener listener = new RecordingListener();
        List<LoggedEvent> received = new ArrayList<>();
        try (ContentGenClient client = TestClients.client(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), listener, 5);
             EventStream events = client.jobs().events(JOB)) {
            events.forEach(received::add);
            assertThat(events.lastSeq()).as("the unknown events count toward the resume point").isEqualTo(5);
        }
        assertThat(received).extracting(LoggedEvent::seq).containsExactly(1L, 3L, 5L);
        assertThat(received.getLast().event()).isEqualTo(new JobEvent.Status(JobStatus.COMPLETED, 1, null, null));
        assertThat(resumePoints).as("Last-Event-ID of each connection").containsExactly("0", "2");
        assertThat(listener.unknownEvents).containsExactly("2 usage.report", "4 usage.summary");
    }

    private void start(List<String> connections) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String lastEventId = String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            int n = resumePoints.size();
            resumePoints.add(lastEventId);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream;charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(("retry: 10\n\n" + connections.get(Math.min(n, connections.size() - 1))).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    private static String event(long seq, String type, String fields) {
        return "id: " + seq + "\nevent: " + type + "\ndata: {\"seq\":" + seq + ",\"type\":\"" + type + "\",\"jobId\":\"" + JOB
                + "\",\"at\":\"2026-12-01T12:00:00Z\"," + fields + "}\n\n";
    }
}
