package dev.contentgen.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the short strings behind stream tokens and session cookies with HMAC-SHA256.
 * The key is shared by every node of a cluster (it lives in the store), so a token minted on one
 * node is good on all of them.
 */
public final class Signer {
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public Signer(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A fresh random secret for a cluster that has none yet. */
    public static String newSecret() {
        return Secrets.random(32);
    }

    /** {@code prefix}, the payload and its signature, URL-safe. */
    String sign(String prefix, String payload) {
        String body = ENCODE.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return prefix + body + "." + ENCODE.encodeToString(mac(prefix + body));
    }

    /** The payload of a value this signer made with {@code prefix}; empty when it is anything else. */
    Optional<String> verify(String prefix, String signed) {
        if (signed == null || signed.length() > 1000 || !signed.startsWith(prefix)) {
            return Optional.empty();
        }
        int dot = signed.lastIndexOf('.');
        if (dot <= prefix.length()) {
            return Optional.empty();
        }
        try {
            byte[] given = DECODE.decode(signed.substring(dot + 1));
            if (!MessageDigest.isEqual(given, mac(signed.substring(0, dot)))) {
                return Optional.empty();
            }
            return Optional.of(new String(DECODE.decode(signed.substring(prefix.length(), dot)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
