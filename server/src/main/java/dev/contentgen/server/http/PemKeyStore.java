package dev.contentgen.server.http;

import dev.contentgen.server.config.TlsFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's PEM certificate chain and PKCS#8 private key as the in-memory KeyStore Jetty wants
 * (Jetty reads keystore files only, and the JDK has no stable PEM reader yet). Every problem stops
 * the start with the file it is about and what to do.
 */
public final class PemKeyStore {
    static final String ALIAS = "node";
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    /** The loaded identity: the store and the password of its one entry (random, never written anywhere). */
    public record Loaded(KeyStore keyStore, String password, X509Certificate leaf) {}

    private PemKeyStore() {}

    public static Loaded load(TlsFiles files) {
        List<X509Certificate> chain = certificates(files.certificateChain());
        PrivateKey key = privateKey(files.privateKey(), chain.getFirst().getPublicKey().getAlgorithm());
        requireMatch(chain.getFirst(), key, files);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
            return new Loaded(store, password, chain.getFirst());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build the TLS key store from " + files.certificateChain() + " and "
                    + files.privateKey() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        List<Block> blocks = blocks(file, "--tls-cert");
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks) {
                if (block.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("--tls-cert " + file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--tls-cert " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
                    + "give the certificate chain, the node's certificate first (Let's Encrypt: fullchain.pem)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        List<Block> blocks = blocks(file, "--tls-key");
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
                    } catch (GeneralSecurityException e) {
                        throw new IllegalArgumentException("--tls-key " + file + " is not a PKCS#8 " + algorithm
                                + " private key (the certificate's key is " + algorithm + "): " + e.getMessage(), e);
                    }
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("--tls-key " + file + " is a "
                        + block.label() + " (PKCS#1/SEC1), not PKCS#8; convert it once with: openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("--tls-key " + file + " is encrypted; the node "
                        + "needs it unencrypted (readable by the node's user only): openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out key.pem");
                default -> {
                    // Other blocks (e.g. EC PARAMETERS before the key) are skipped.
                }
            }
        }
        throw new IllegalArgumentException("--tls-key " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----); "
                + "give the certificate's PKCS#8 private key (Let's Encrypt: privkey.pem)");
    }

    /** A key that does not belong to the certificate would only fail at each client's handshake: refuse it now. */
    private static void requireMatch(X509Certificate leaf, PrivateKey key, TlsFiles files) {
        PublicKey publicKey = leaf.getPublicKey();
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "contentgen tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // Falls through: a key that cannot sign for this certificate does not belong to it.
        }
        throw new IllegalArgumentException("--tls-key " + files.privateKey() + " does not belong to the certificate in --tls-cert "
                + files.certificateChain() + " (" + leaf.getSubjectX500Principal().getName() + "): give the key the certificate was issued for");
    }

    private record Block(String label, byte[] der) {}

    private static List<Block> blocks(Path file, String flag) {
        String text;
        try {
            // Latin-1 never fails to decode: a DER or other binary file is then reported as "not a PEM file".
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(flag + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(flag + " " + file + " cannot be read by this user (permission denied)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + file + " cannot be read: " + e, e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + " " + file + " has a damaged PEM block (" + m.group(1) + "): " + e.getMessage(), e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(flag + " " + file + " is not a PEM file (no -----BEGIN ...----- block)");
        }
        return blocks;
    }
}
