package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write timeout over HTTP/2 (README, "TLS and HTTP/2"): many streams share one connection, so a
 * reader that stops reading one of them is cut by that stream's own timeout, while another stream
 * on the same connection goes on.
 */
class Http2SlowReaderTest {
    @TempDir
    Path dir;

    @Test
    void aStreamWhoseReaderStopsIsCutAfterTheWriteTimeoutWhileAnotherOnTheSameConnectionGoesOn() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        var config = TestStore.SQLITE.config(dir.resolve("data")).withWorkers(0).withWriteTimeout(Duration.ofSeconds(3))
                .withTls(cert.files());
        HTTP2Client client = new HTTP2Client();
        // A small window per stream, so the stalled one blocks the server's write after 64 KiB; the connection's stays large.
        client.setInitialStreamRecvWindow(64 * 1024);
        client.setInitialSessionRecvWindow(64 * 1024 * 1024);
        // The client must not give up on the stalled stream itself within the test: the server would see a reset, not a stuck write.
        client.setStreamIdleTimeout(Duration.ofMinutes(2).toMillis());
        client.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(cert.trustingContext());
        client.getClientConnector().setSslContextFactory(tls);
        try (LogCapture logs = new LogCapture(); Node node = new Node(config).start()) {
            client.start();
            String longJob = SlowReaderTest.writeLongFinishedJob(node);
            // With no worker this job stays queued: its stream lives on heartbeats alone.
            Api api = new Api(URI.create("https://127.0.0.1:" + node.port()),
                    HttpClient.newBuilder().sslContext(cert.trustingContext()).build());
            String waitingJob = api.createJob("A job that waits").id();

            Session session = client.connect(tls, new InetSocketAddress("127.0.0.1", node.port()), new Session.Listener() {}).get();

            session.newStream(request(node, longJob), new Stream.Listener() {
                @Override
                public void onHeaders(Stream stream, HeadersFrame frame) {
                    // Never demands the body: no byte is read, so no flow-control credit goes back to the server.
                }

                @Override
                public void onIdleTimeout(Stream stream, TimeoutException x, Promise<Boolean> promise) {
                    promise.succeeded(false);
                }
            }).get();
            SlowReaderTest.awaitLine(logs, "[STREAM_START] job=" + longJob);

            AtomicInteger keepalives = new AtomicInteger();
            session.newStream(request(node, waitingJob), new Stream.Listener() {
                @Override
                public void onHeaders(Stream stream, HeadersFrame frame) {
                    stream.demand();
                }

                @Override
                public void onDataAvailable(Stream stream) {
                    Stream.Data data = stream.readData();
                    if (data != null) {
                        String text = StandardCharsets.UTF_8.decode(data.frame().getByteBuffer()).toString();
                        keepalives.addAndGet((int) text.lines().filter(l -> l.equals(": keepalive")).count());
                        data.release();
                    }
                    stream.demand();
                }
            }).get();

            // Jetty's default would cut it only after the connector's idle timeout (30 s); the bound is a wait, not a measure.
            String cut = SlowReaderTest.awaitLine(logs, "reason=write_timeout");
            assertThat(cut).contains("[STREAM_END] job=" + longJob);
            int keepalivesAtCut = keepalives.get();

            // The other stream on the same connection still gets its heartbeats (one a second) and was never ended.
            for (int i = 0; i < 200 && keepalives.get() < keepalivesAtCut + 2; i++) {
                Thread.sleep(50);
            }
            assertThat(keepalives.get()).isGreaterThanOrEqualTo(keepalivesAtCut + 2);
            assertThat(logs.lines()).noneMatch(l -> l.contains("[STREAM_END] job=" + waitingJob));
            assertThat(session.isClosed()).isFalse();
            session.close(0, "done", Callback.NOOP);
        } finally {
            client.stop();
        }
    }

    @Test
    void aClientThatResetsItsStreamLeavesTheNodeServingTheNext() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        var config = TestStore.SQLITE.config(dir.resolve("data")).withWorkers(0).withTls(cert.files());
        HTTP2Client client = new HTTP2Client();
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(cert.trustingContext());
        client.getClientConnector().setSslContextFactory(tls);
        try (LogCapture logs = new LogCapture(); Node node = new Node(config).start()) {
            client.start();
            HttpClient h2 = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
            Api api = new Api(URI.create("https://127.0.0.1:" + node.port()), h2);
            String jobId = api.createJob("A job whose reader leaves").id();
            Session session = client.connect(tls, new InetSocketAddress("127.0.0.1", node.port()), new Session.Listener() {}).get();
            java.util.concurrent.CompletableFuture<Stream> firstBytes = new java.util.concurrent.CompletableFuture<>();
            session.newStream(request(node, jobId), new Stream.Listener() {
                @Override
                public void onHeaders(Stream stream, HeadersFrame frame) {
                    stream.demand();
                }

                @Override
                public void onDataAvailable(Stream stream) {
                    Stream.Data data = stream.readData();
                    if (data != null) {
                        data.release();
                        firstBytes.complete(stream);
                    }
                }
            }).get();
            // As a browser does when a tab closes its EventSource: the HTTP/2 stream is reset, the connection stays.
            Stream stream = firstBytes.get(30, java.util.concurrent.TimeUnit.SECONDS);
            stream.reset(new org.eclipse.jetty.http2.frames.ResetFrame(stream.getId(), org.eclipse.jetty.http2.ErrorCode.CANCEL_STREAM_ERROR.code),
                    Callback.NOOP);
            // The node finds out at its next write (a heartbeat, 1 s here) and ends the stream.
            assertThat(SlowReaderTest.awaitLine(logs, "[STREAM_END] job=" + jobId)).contains("reason=client_closed");

            // The next stream is served (the node's stream threads are not stuck on the recycled request) and nothing went wrong.
            try (SseStream next = api.open(java.net.http.HttpRequest.newBuilder(api.base().resolve("/api/jobs/" + jobId + "/events"))
                    .header("Accept", "text/event-stream").build())) {
                assertThat(next.next().event()).isEqualTo("status");
            }
            assertThat(logs.lines()).noneMatch(l -> l.contains("Uncaught exception") || l.contains("threw an error"));
            session.close(0, "done", Callback.NOOP);
        } finally {
            client.stop();
        }
    }

    private static HeadersFrame request(Node node, String jobId) {
        MetaData.Request request = new MetaData.Request("GET", HttpURI.from("https://127.0.0.1:" + node.port() + "/api/jobs/" + jobId + "/events"),
                HttpVersion.HTTP_2, HttpFields.build().add("Accept", "text/event-stream"));
        return new HeadersFrame(request, null, true);
    }
}
