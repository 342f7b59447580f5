package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.testing.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contentgen serve --tls-cert FILE --tls-key FILE}: https with HTTP/2, or a start-up error that names the file. */
class TlsFlagsTest {
    @TempDir
    Path dir;

    record Exit(int code, String output) {}

    Exit serve(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--data-dir", dir.resolve("data").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONTENTGEN_"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve did not exit");
        }
        return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        Exit exit = serve("--tls-cert", cert.certificate().toString());
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("contentgen: --tls-cert and --tls-key go together");
    }

    @Test
    void aKeyOfAnotherCertificateStopsTheStartNamingTheFile() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        TestCertificate other = TestCertificate.create(dir.resolve("tls"), "other");
        Exit exit = serve("--tls-cert", cert.certificate().toString(), "--tls-key", other.privateKey().toString());
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("contentgen: --tls-key " + other.privateKey() + " does not belong to the certificate");
        assertThat(exit.output()).doesNotContain("listening on");
    }

    @Test
    void bothFlagsServeHttpsWithHttp2() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--tls-cert", cert.certificate().toString(),
                "--tls-key", cert.privateKey().toString())) {
            HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.uri().getPort() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(node.output()).anyMatch(l -> l.contains("listening on https://127.0.0.1:" + node.uri().getPort()));
        }
    }
}
