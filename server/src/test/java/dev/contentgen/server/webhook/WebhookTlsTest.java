package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import dev.contentgen.server.time.Backoff;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https receiver reached through the node's own resolver: the connection goes to the resolved
 * address while TLS still names the URL's host (SNI and the certificate check), so a certificate
 * for another name is refused. The certificate is made by the JDK's keytool for this test.
 */
class WebhookTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HOST = "hooks.contentgen.invalid";
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    KeyStore identity;
    WebhookReceiver receiver;
    Node node;
    Api api;

    @BeforeEach
    void makeCertificate() throws Exception {
        Path store = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + HOST, "-ext", "SAN=dns:" + HOST, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        identity = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            identity.load(in, PASSWORD);
        }
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        receiver = WebhookReceiver.https("127.0.0.2", tls);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("receiver", identity.getCertificate("receiver"));
        WebhookSettings settings = WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(20))
                .withBackoff(Backoff.of(Duration.ofHours(1), Duration.ofHours(2))).withTrustStore(trusted)
                .withResolver(host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2})});
        node = new Node(TestNodes.config(dir.resolve("data"))).webhooks(settings).start();
        api = new Api(TestNodes.uri(node));
    }

    private String create(String host) throws Exception {
        Api.Response r = api.post("/api/jobs", "{\"topic\": \"TLS\", \"length\": \"short\", \"webhook\": {\"url\": \"https://" + host + ":"
                + receiver.port() + "/hooks\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }

    @Test
    void anHttpsReceiverIsReachedAtTheResolvedAddressUnderItsOwnName() throws Exception {
        start();
        create(HOST);
        Received received = receiver.next(WAIT);
        assertThat(received).as("delivered over TLS").isNotNull();
        assertThat(received.host()).isEqualTo(HOST + ":" + receiver.port());
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        start();
        // The same address, another name: the certificate does not cover it, so the handshake must fail.
        String jobId = create("other.contentgen.invalid");
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode attempt = null;
        while (attempt == null) {
            for (JsonNode d : Json.MAPPER.readTree(api.get("/api/jobs/" + jobId + "/webhooks").body()).get("deliveries")) {
                if (d.get("attemptLog").size() > 0) {
                    attempt = d.get("attemptLog").get(0);
                }
            }
            assertThat(System.nanoTime()).as("no attempt was made").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(attempt.has("httpStatus")).isFalse();
        assertThat(attempt.get("error").asText()).contains("SSLHandshakeException", "No subject alternative DNS name matching other.contentgen.invalid");
        assertThat(receiver.pending()).isZero();
    }
}
