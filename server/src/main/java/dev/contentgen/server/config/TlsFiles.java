package dev.contentgen.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The node's TLS identity as operators have it (e.g. from Let's Encrypt or openssl): a PEM
 * certificate chain, leaf first, and its PEM PKCS#8 private key. With it the node serves HTTPS
 * with HTTP/2 (ALPN) and HTTP/1.1 on its one port; without it, plain HTTP/1.1.
 */
public record TlsFiles(Path certificateChain, Path privateKey) {
    public TlsFiles {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** Both files or neither: one alone is a mistake worth stopping for. */
    public static TlsFiles of(Path certificateChain, Path privateKey) {
        if (certificateChain == null && privateKey == null) {
            return null;
        }
        if (certificateChain == null || privateKey == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both (a PEM certificate chain and its "
                    + "PEM PKCS#8 private key) or neither; got only " + (certificateChain == null ? "--tls-key" : "--tls-cert"));
        }
        return new TlsFiles(certificateChain, privateKey);
    }
}
