package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.contentgen.server.Node;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contentgen doctor} through nginx from Debian's packages, configured well and badly (buffering on,
 * X-Accel-Buffering ignored, gzip on the stream, a read timeout shorter than the heartbeat).
 * Skipped, saying so, where nginx is not installed.
 */
class DoctorTest {
    @TempDir
    Path dir;
    Node node;
    CountDownLatch gate;

    @BeforeEach
    void start() {
        // The probe job is held mid-run, so the doctor's idle stream (waiting beyond the job's end) stays open.
        ScriptedProvider provider = new ScriptedProvider();
        gate = provider.gateAt("section", 3);
        node = new Node(TestNodes.config(dir.resolve("data"))).provider(provider).start();
    }

    @AfterEach
    void stop() {
        gate.countDown();
        node.close();
    }

    @Test
    void aDirectConnectionHasNoProblemButHttp11IsAWarningWithWhatToDo() {
        CliRun run = CliRun.of("doctor", TestNodes.uri(node).toString(), "--heartbeat", "1s");

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.out()).contains("ok   buffering", "ok   compression", "ok   heartbeats",
                "verdict: event streams work through this URL. (1 warning(s) above)");
        // A browser holds six HTTP/1.1 connections per host: the seventh tab waits. The remedy names the flags.
        assertThat(run.out()).contains("warn HTTP version HTTP/1.1", "at most six connections", "seventh tab",
                "to do: serve HTTP/2 to browsers", "--tls-cert FILE --tls-key FILE", "HTTP/2 at the proxy");
    }

    @Test
    void aNodeWithTlsServesHttp2AndGetsNoWarning() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch held = provider.gateAt("section", 3);
        SSLContext defaultContext = SSLContext.getDefault();
        try (Node secure = new Node(TestNodes.config(dir.resolve("secure")).withTls(cert.files())).provider(provider).start()) {
            // The doctor trusts what the JVM trusts; this test's JVM trusts the test certificate for this test only.
            SSLContext.setDefault(cert.trustingContext());
            CliRun run;
            try {
                run = CliRun.of("doctor", "https://127.0.0.1:" + secure.port(), "--heartbeat", "1s");
            } finally {
                SSLContext.setDefault(defaultContext);
                // The probe job may go on and the node stop without waiting for it.
                held.countDown();
            }

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
            assertThat(run.out()).contains("ok   HTTP version HTTP/2", "ok   buffering", "ok   heartbeats",
                    "verdict: event streams work through this URL.");
            assertThat(run.out()).doesNotContain("warn", "warning");
        }
    }

    @Test
    void aWellConfiguredNginxHasNoProblem() throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"), node.port(), """
                proxy_buffering off;
                proxy_read_timeout 60s;
                """)) {
            CliRun run = CliRun.of("doctor", nginx.uri(), "--heartbeat", "1s");

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
            assertThat(run.out()).contains("ok   buffering", "ok   heartbeats", "verdict: event streams work through this URL.");
        }
    }

    @Test
    void aBadlyConfiguredNginxGetsEachProblemAndItsFix() throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"), node.port(), """
                proxy_buffering on;
                proxy_ignore_headers X-Accel-Buffering;
                proxy_read_timeout 500ms;
                gzip on; gzip_types text/event-stream; gzip_proxied any;
                """)) {
            CliRun run = CliRun.of("doctor", nginx.uri(), "--heartbeat", "1s");

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCode.JOB_FAILED);
            assertThat(run.out()).contains("FIX  buffering", "proxy_buffering off", "FIX  idle stream", "proxy_read_timeout",
                    "problem(s) on this path");
        }
    }

    /** nginx started by hand in a temp dir, proxying to the node, with the given location directives. */
    private record Nginx(Process process, int port) implements AutoCloseable {
        static Nginx start(Path home, int upstreamPort, String directives) throws Exception {
            Optional<Path> binary = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx").map(Path::of)
                    .filter(Files::isExecutable).findFirst();
            assumeTrue(binary.isPresent(), "nginx is not installed (apt-get install -y nginx), so the doctor cannot be tried through it");
            Files.createDirectories(home.resolve("logs"));
            int port = NodeProcess.freePort();
            Files.writeString(home.resolve("nginx.conf"), """
                    daemon off;
                    worker_processes 1;
                    error_log %1$s/logs/error.log;
                    pid %1$s/nginx.pid;
                    events { worker_connections 64; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                      server {
                        listen 127.0.0.1:%2$d;
                        location / {
                          proxy_pass http://127.0.0.1:%3$d;
                          proxy_http_version 1.1;
                          %4$s
                        }
                      }
                    }
                    """.formatted(home, port, upstreamPort, directives));
            Process process = new ProcessBuilder(binary.get().toString(), "-p", home.toString(), "-c", home.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("logs/stdout.log").toFile()).start();
            awaitListening(port, process, home);
            return new Nginx(process, port);
        }

        String uri() {
            return "http://127.0.0.1:" + port;
        }

        private static void awaitListening(int port, Process process, Path home) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() - deadline < 0) {
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (java.io.IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("nginx exited: " + Files.readString(home.resolve("logs/stdout.log")));
                    }
                    Thread.sleep(20);
                }
            }
            throw new IllegalStateException("nginx did not start listening on " + port);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
