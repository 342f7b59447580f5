package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that leaves an idle stream over HTTP/1.1 is noticed without a write (docs/STREAMS.md, "When a client
 * leaves"): with heartbeats an hour apart, the stream still ends with reason client_closed and gives back its slot,
 * so the owner at its limit of one stream opens the next at once (the web UI replaces its stream so).
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class ClientGoneTest {
    /** A bound on waiting, so a node that never notices fails the test instead of hanging it; not a timing under test. */
    static final int POLLS = 400;

    private static final Function<String, String> PER_JOB = jobId -> "/api/jobs/" + jobId + "/events";
    private static final Function<String, String> MULTIPLEXED = jobId -> "/api/events?job=" + jobId;

    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aPerJobStreamWhoseClientClosesItsSocketEndsWithoutAWrite() throws Exception {
        leaveAndReopen(PER_JOB, "");
    }

    @Test
    void aMultiplexedStreamWhoseClientClosesItsSocketEndsWithoutAWrite() throws Exception {
        leaveAndReopen(MULTIPLEXED, " multiplexed=true");
    }

    @Test
    void aPerJobStreamCountsAsOpenUntilItsSlotIsGivenBack() throws Exception {
        countedUntilTheSlotIsFree(PER_JOB, "");
    }

    @Test
    void aMultiplexedStreamCountsAsOpenUntilItsSlotIsGivenBack() throws Exception {
        countedUntilTheSlotIsFree(MULTIPLEXED, " multiplexed=true");
    }

    /**
     * A node that no longer counts a stream has given its slot back, so whoever sees the count fall (the owner's next
     * opening) is not refused. The test holds the slots' table locked, so the release waits, and looks at the count then.
     */
    private void countedUntilTheSlotIsFree(Function<String, String> path, String endMark) throws Exception {
        try (LogCapture logs = new LogCapture(); Node node = new Node(oneStreamPerOwner()).start()) {
            String key = Keys.create(node, "alice", false);
            Api api = new Api(TestNodes.uri(node)).withKey(key);
            String jobId = api.createJob("A job nobody works on").id();
            try (Handle blocker = node.database().jdbi().open()) {
                try (Socket socket = new Socket("127.0.0.1", node.port())) {
                    openAndReadFirstEvent(socket, path.apply(jobId), node.port(), key);
                    // Row locks on PostgreSQL, the write lock on SQLite (within its busy timeout): the slot's DELETE waits.
                    blocker.begin();
                    blocker.execute("UPDATE open_streams SET expires_at = expires_at");
                }
                String end = "[STREAM_END] job=" + jobId + endMark + " reason=client_closed";
                for (int i = 0; i < POLLS && logs.lines().stream().noneMatch(l -> l.startsWith(end)); i++) {
                    Thread.sleep(10);
                }
                assertThat(logs.lines()).as("the stream ended").anyMatch(l -> l.startsWith(end));
                assertThat(openStreams(api)).as("still counted while its slot is held").isEqualTo(1);
                blocker.rollback();
            }
            for (int i = 0; i < POLLS && openStreams(api) > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(openStreams(api)).isZero();
            try (SseStream next = api.events(jobId, null)) {
                SseEvent first = next.next();
                assertThat(first.isError()).as("the count fell, so the slot is free: %s", first.data()).isFalse();
            }
        }
    }

    /** Keys, a limit of one stream per owner, no worker, and neither a heartbeat nor a write timeout within the test. */
    private Config oneStreamPerOwner() {
        return store.config(dir).withWorkers(0).withHeartbeat(Duration.ofHours(1))
                .withWriteTimeout(Duration.ofHours(2)).withAuth(AccessMode.Setting.KEYS)
                .withLimits(new Limits(0, 0, 1, 0));
    }

    /** {@code endMark}: what the stream's end line carries after the job id. */
    private void leaveAndReopen(Function<String, String> path, String endMark) throws Exception {
        try (LogCapture logs = new LogCapture(); Node node = new Node(oneStreamPerOwner()).start()) {
            String key = Keys.create(node, "alice", false);
            Api api = new Api(TestNodes.uri(node)).withKey(key);
            // No worker: the job stays pending, so its stream waits and writes nothing after its first event.
            String jobId = api.createJob("A job nobody works on").id();

            try (Socket socket = new Socket("127.0.0.1", node.port())) {
                openAndReadFirstEvent(socket, path.apply(jobId), node.port(), key);
                assertThat(openStreams(api)).isEqualTo(1);
                try (SseStream refused = api.events(jobId, null)) {
                    assertThat(refused.next().data()).as("the owner holds its limit").contains("TOO_MANY_STREAMS");
                }
            }

            // The socket is closed; no write will come for an hour. The node notices by itself.
            for (int i = 0; i < POLLS && openStreams(api) > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(openStreams(api)).as("open streams after the client left").isZero();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("[STREAM_END] job=" + jobId + endMark + " reason=client_closed"));
            try (SseStream next = api.events(jobId, null)) {
                SseEvent first = next.next();
                assertThat(first.isError()).as("the freed slot serves the next stream: %s", first.data()).isFalse();
                assertThat(first.event()).isEqualTo("status");
            }
        }
    }

    /** Sends an HTTP/1.1 GET of an event stream on {@code socket} and reads up to the job's first event. */
    static void openAndReadFirstEvent(Socket socket, String pathAndQuery, int port, String key) throws java.io.IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + key + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("event: status")) {
            // headers, the retry line, the id
        }
        assertThat(line).as("the job's first event").isNotNull();
    }

    static int openStreams(Api api) {
        return Json.read(api.get("/healthz").body(), JsonNode.class).get("openStreams").asInt();
    }
}
