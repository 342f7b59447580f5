package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.server.Node;
import dev.contentgen.server.config.TlsFiles;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node given TLS files it cannot use stops at start-up, naming the file and what is wrong with it. */
class TlsFilesTest {
    @TempDir
    static Path certs;
    static TestCertificate cert;
    static TestCertificate other;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        cert = TestCertificate.create(certs, "node");
        other = TestCertificate.create(certs, "other");
    }

    @Test
    void aMissingCertificateFileIsNamed() {
        Path missing = dir.resolve("nope/fullchain.pem");
        assertStartFails(new TlsFiles(missing, cert.privateKey()), "--tls-cert " + missing + " does not exist");
    }

    @Test
    void aMissingKeyFileIsNamed() {
        Path missing = dir.resolve("privkey.pem");
        assertStartFails(new TlsFiles(cert.certificate(), missing), "--tls-key " + missing + " does not exist");
    }

    @Test
    void aFileThatCannotBeReadIsNamed() throws Exception {
        // A folder in place of the file: unreadable as a file even for root, who reads any file whatever its mode.
        Path folder = Files.createDirectories(dir.resolve("cert.pem"));
        assertStartFails(new TlsFiles(folder, cert.privateKey()), "--tls-cert " + folder + " cannot be read");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertStartFails(new TlsFiles(cert.certificate(), other.privateKey()),
                "--tls-key " + other.privateKey() + " does not belong to the certificate in --tls-cert " + cert.certificate());
    }

    @Test
    void theFilesSwappedAreRefused() {
        assertStartFails(new TlsFiles(cert.privateKey(), cert.certificate()), "--tls-cert " + cert.privateKey() + " holds no PEM certificate");
    }

    @Test
    void aFileThatIsNotPemIsRefused() throws Exception {
        Path der = Files.write(dir.resolve("cert.der"), cert.x509().getEncoded());
        assertStartFails(new TlsFiles(der, cert.privateKey()), "--tls-cert " + der + " is not a PEM file");
    }

    @Test
    void aPkcs1KeySaysHowToConvertIt() throws Exception {
        Path rsa = Files.writeString(dir.resolve("rsa.pem"), TestCertificate.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        assertStartFails(new TlsFiles(cert.certificate(), rsa), "openssl pkcs8 -topk8 -nocrypt -in " + rsa);
    }

    @Test
    void oneFlagWithoutTheOtherIsRefused() {
        assertThatThrownBy(() -> TlsFiles.of(cert.certificate(), null)).hasMessageContaining("--tls-cert and --tls-key go together")
                .hasMessageContaining("got only --tls-cert");
        assertThat(TlsFiles.of(null, null)).isNull();
    }

    @Test
    void aChainKeepsEveryCertificateLeafFirst() throws Exception {
        Path chain = Files.writeString(dir.resolve("fullchain.pem"),
                "subject=CN = localhost\n" + TestCertificate.pem(cert.x509()) + TestCertificate.pem(other.x509()));
        PemKeyStore.Loaded loaded = PemKeyStore.load(new TlsFiles(chain, cert.privateKey()));
        Certificate[] stored = loaded.keyStore().getCertificateChain(PemKeyStore.ALIAS);
        assertThat(stored).containsExactly(cert.x509(), other.x509());
        assertThat(loaded.leaf()).isEqualTo(cert.x509());
    }

    private void assertStartFails(TlsFiles files, String message) {
        assertThatThrownBy(() -> new Node(TestNodes.config(dir.resolve("data")).withTls(files)).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
