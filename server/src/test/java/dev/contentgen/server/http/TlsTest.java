package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestNodes;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README, "TLS and HTTP/2": with --tls-cert/--tls-key the node's one port speaks TLS, HTTP/2 to
 * clients that offer it by ALPN and HTTP/1.1 to the rest; streams over HTTP/2 keep every guarantee
 * (heartbeats, the whole log, a clean end), and many of them share one connection.
 */
class TlsTest {
    @TempDir
    static Path certs;
    static TestCertificate cert;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = TestCertificate.create(certs, "node");
    }

    @Test
    void manyStreamsOfRunningJobsArriveWholeOverHttp2OnOneConnection() throws Exception {
        try (Node node = new Node(TestNodes.config(dir).withTls(cert.files()).withTokensPerSecond(2000)).start()) {
            HttpClient h2 = client(HttpClient.Version.HTTP_2);
            URI base = https(node);
            // The first request opens the connection; every later one is a stream on it.
            HttpResponse<String> health = h2.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);

            Api api = new Api(base, h2);
            // Jetty counts the TLS layer and the HTTP/2 session of one socket as two connections: compare, do not count.
            double connectionsBefore = Scrape.of(api).sum("jetty_connections_max_connections");
            // More than the six connections a browser opens per host over HTTP/1.1.
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                jobs.add(api.createJob(Map.of("topic", "Multiplexed " + i, "length", "short")));
            }
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<SseEvent>>> logs = new ArrayList<>();
                for (Job job : jobs) {
                    logs.add(readers.submit(() -> {
                        HttpResponse<InputStream> response = h2.send(eventsRequest(base, job.id()), HttpResponse.BodyHandlers.ofInputStream());
                        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                        try (SseStream stream = new SseStream(response.statusCode(), response.body())) {
                            assertThat(stream.status()).isEqualTo(200);
                            return stream.readAllWithin(Duration.ofSeconds(60));
                        }
                    }));
                }
                for (Future<List<SseEvent>> log : logs) {
                    assertThat(JobLogAssertions.assertConsistent(log.get()).terminal().status()).isEqualTo(JobStatus.COMPLETED);
                }
            }
            // Eight streams and every API call went on the connection the client opened first: not one more was opened.
            assertThat(connectionsBefore).isPositive();
            assertThat(Scrape.of(api).sum("jetty_connections_max_connections")).isEqualTo(connectionsBefore);
        }
    }

    @Test
    void aStreamOverHttp2GetsHeartbeatsWhileSilentAndEndsCleanlyAfterTheTerminalEvent() throws Exception {
        var provider = new ScriptedProvider().silentBefore("outline", Duration.ofMillis(1500));
        try (Node node = new Node(TestNodes.config(dir).withTls(cert.files()).withHeartbeat(Duration.ofMillis(200))).provider(provider).start()) {
            HttpClient h2 = client(HttpClient.Version.HTTP_2);
            Api api = new Api(https(node), h2);
            Job job = api.createJob(Map.of("topic", "Quiet models over TLS", "length", "short"));
            HttpResponse<InputStream> response = h2.send(eventsRequest(https(node), job.id()), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            try (SseStream stream = new SseStream(response.statusCode(), response.body())) {
                List<SseEvent> events = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.delta")));
                int keepalivesDuringSilence = stream.comments().size();
                // readAll returns only at the end of the body: the server closed the HTTP/2 stream after the terminal event.
                events.addAll(stream.readAllWithin(Duration.ofSeconds(60)));

                // 1.5 s of silence at a 200 ms interval: about 7 keepalives.
                assertThat(keepalivesDuringSilence).isGreaterThanOrEqualTo(3);
                assertThat(stream.comments()).allMatch(c -> c.equals("keepalive"));
                assertThat(stream.retryMillis()).isNotNull();
                assertThat(JobLogAssertions.assertConsistent(events).terminal().status()).isEqualTo(JobStatus.COMPLETED);
            }
            assertThat(node.hub().openStreams()).isZero();
        }
    }

    @Test
    void clientsWithoutHttp2GetHttp11OverTlsOnTheSamePort() throws Exception {
        try (Node node = new Node(TestNodes.config(dir).withTls(cert.files())).start()) {
            HttpClient h1 = client(HttpClient.Version.HTTP_1_1);
            Api api = new Api(https(node), h1);
            Job job = api.createJob(Map.of("topic", "Old clients", "length", "short"));
            HttpResponse<InputStream> response = h1.send(eventsRequest(https(node), job.id()), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            try (SseStream stream = new SseStream(response.statusCode(), response.body())) {
                assertThat(JobLogAssertions.assertConsistent(stream.readAllWithin(Duration.ofSeconds(60))).terminal().status())
                        .isEqualTo(JobStatus.COMPLETED);
            }
        }
    }

    @Test
    void eachHttp2StreamIsCutByTheWriteTimeoutOnItsOwn() {
        // Http2SlowReaderTest shows the behaviour; this pins the setting (Jetty's default is the connection's idle timeout).
        ServerConnector connector = TlsConnector.create(new Server(), new HttpConfiguration(), PemKeyStore.load(cert.files()), "127.0.0.1", 0,
                Duration.ofSeconds(7));
        assertThat(connector.getConnectionFactory(HTTP2ServerConnectionFactory.class).getStreamIdleTimeout()).isEqualTo(7000);
        assertThat(connector.getProtocols()).containsExactly("ssl", "alpn", "h2", "http/1.1");
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(cert.trustingContext()).version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest eventsRequest(URI base, String jobId) {
        return HttpRequest.newBuilder(base.resolve("/api/jobs/" + jobId + "/events")).header("Accept", "text/event-stream").build();
    }

    private static URI https(Node node) {
        return URI.create("https://127.0.0.1:" + node.port());
    }
}
