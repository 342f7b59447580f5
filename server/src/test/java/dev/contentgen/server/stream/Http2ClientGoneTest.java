package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that leaves an idle stream over HTTP/2 is noticed without a write: it resets the stream (as a browser does
 * when its EventSource closes and the connection stays) or closes the whole connection. With heartbeats an hour
 * apart, the stream still ends with reason client_closed and its owner, at its limit of one, opens the next at once.
 */
class Http2ClientGoneTest {
    /** How the client leaves. */
    enum Leaving { RESET_STREAM, CLOSE_CONNECTION }

    @TempDir
    Path dir;

    @Test
    void aPerJobStreamResetByItsClient() throws Exception {
        leaveAndReopen(jobId -> "/api/jobs/" + jobId + "/events", "", Leaving.RESET_STREAM);
    }

    @Test
    void aMultiplexedStreamResetByItsClient() throws Exception {
        leaveAndReopen(jobId -> "/api/events?job=" + jobId, " multiplexed=true", Leaving.RESET_STREAM);
    }

    @Test
    void aPerJobStreamWhoseConnectionTheClientCloses() throws Exception {
        leaveAndReopen(jobId -> "/api/jobs/" + jobId + "/events", "", Leaving.CLOSE_CONNECTION);
    }

    @Test
    void aMultiplexedStreamWhoseConnectionTheClientCloses() throws Exception {
        leaveAndReopen(jobId -> "/api/events?job=" + jobId, " multiplexed=true", Leaving.CLOSE_CONNECTION);
    }

    /** The same port speaks HTTP/1.1 over TLS to a client that offers no HTTP/2: its closed socket is noticed too. */
    @Test
    void anHttp1StreamOverTlsWhoseClientClosesItsSocket() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        try (LogCapture logs = new LogCapture(); Node node = new Node(config(cert)).start()) {
            String key = Keys.create(node, "alice", false);
            Api api = new Api(URI.create("https://127.0.0.1:" + node.port()),
                    HttpClient.newBuilder().sslContext(cert.trustingContext()).build()).withKey(key);
            String jobId = api.createJob("A job nobody works on").id();
            try (java.net.Socket socket = cert.trustingContext().getSocketFactory().createSocket("127.0.0.1", node.port())) {
                ClientGoneTest.openAndReadFirstEvent(socket, "/api/jobs/" + jobId + "/events", node.port(), key);
                assertThat(ClientGoneTest.openStreams(api)).isEqualTo(1);
            }
            for (int i = 0; i < ClientGoneTest.POLLS && ClientGoneTest.openStreams(api) > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(ClientGoneTest.openStreams(api)).as("open streams after the client left").isZero();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("[STREAM_END] job=" + jobId + " reason=client_closed"));
            try (SseStream next = api.events(jobId, null)) {
                assertThat(next.next().event()).as("the freed slot serves the next stream").isEqualTo("status");
            }
        }
    }

    private Config config(TestCertificate cert) {
        return TestStore.SQLITE.config(dir.resolve("data")).withWorkers(0).withTls(cert.files())
                .withHeartbeat(Duration.ofHours(1)).withWriteTimeout(Duration.ofHours(2))
                .withAuth(AccessMode.Setting.KEYS).withLimits(new Limits(0, 0, 1, 0));
    }

    private void leaveAndReopen(java.util.function.Function<String, String> path, String endMark, Leaving leaving) throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        Config config = config(cert);
        HTTP2Client client = new HTTP2Client();
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(cert.trustingContext());
        client.getClientConnector().setSslContextFactory(tls);
        try (LogCapture logs = new LogCapture(); Node node = new Node(config).start()) {
            client.start();
            String key = Keys.create(node, "alice", false);
            Api api = new Api(URI.create("https://127.0.0.1:" + node.port()),
                    HttpClient.newBuilder().sslContext(cert.trustingContext()).build()).withKey(key);
            // No worker: the job stays pending, so its stream waits and writes nothing after its first event.
            String jobId = api.createJob("A job nobody works on").id();

            Session session = client.connect(tls, new InetSocketAddress("127.0.0.1", node.port()), new Session.Listener() {}).get();
            CompletableFuture<Stream> firstBytes = new CompletableFuture<>();
            session.newStream(request(node, path.apply(jobId), key), new Stream.Listener() {
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
                    stream.demand();
                }
            }).get();
            Stream stream = firstBytes.get(30, TimeUnit.SECONDS);
            SlowReaderTest.awaitLine(logs, "[STREAM_START] job=" + jobId);
            assertThat(ClientGoneTest.openStreams(api)).isEqualTo(1);
            try (SseStream refused = api.events(jobId, null)) {
                assertThat(refused.next().data()).as("the owner holds its limit").contains("TOO_MANY_STREAMS");
            }

            switch (leaving) {
                case RESET_STREAM -> stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
                // Not a GOAWAY, after which the streams under way go on: the connection drops, as when a laptop sleeps.
                case CLOSE_CONNECTION -> ((HTTP2Session) session).getEndPoint().close();
            }

            // No write will come for an hour: the node notices by itself.
            for (int i = 0; i < ClientGoneTest.POLLS && ClientGoneTest.openStreams(api) > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(ClientGoneTest.openStreams(api)).as("open streams after the client left").isZero();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("[STREAM_END] job=" + jobId + endMark + " reason=client_closed"));
            try (SseStream next = api.events(jobId, null)) {
                SseEvent first = next.next();
                assertThat(first.isError()).as("the freed slot serves the next stream: %s", first.data()).isFalse();
                assertThat(first.event()).isEqualTo("status");
            }
            assertThat(logs.lines()).noneMatch(l -> l.contains("Uncaught exception") || l.contains("threw an error"));
            if (!session.isClosed()) {
                session.close(ErrorCode.NO_ERROR.code, "done", Callback.NOOP);
            }
        } finally {
            client.stop();
        }
    }

    private static HeadersFrame request(Node node, String pathAndQuery, String key) {
        MetaData.Request request = new MetaData.Request("GET", HttpURI.from("https://127.0.0.1:" + node.port() + pathAndQuery),
                HttpVersion.HTTP_2, HttpFields.build().add("Accept", "text/event-stream").add("Authorization", "Bearer " + key));
        return new HeadersFrame(request, null, true);
    }
}
