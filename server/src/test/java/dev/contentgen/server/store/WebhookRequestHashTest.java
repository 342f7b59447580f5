package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobRequest;
import org.junit.jupiter.api.Test;

/** Idempotency keys stored before webhooks existed still match their requests. */
class WebhookRequestHashTest {
    @Test
    void aRequestWithoutAWebhookHashesAsBefore() {
        JobRequest request = JobRequest.of("Why SSE streams die").withProvider("offline", "offline");
        // SHA-256 of {"topic":…,"format":"article",…} as the codec writes it, fixed before webhooks existed.
        assertThat(Store.requestHash(request, null)).isEqualTo(Store.requestHash(request))
                .isEqualTo(WebhookRequestHashTest.sha256("{\"topic\":\"Why SSE streams die\",\"format\":\"article\",\"tone\":\"neutral\",\"length\":\"medium\","
                        + "\"provider\":\"offline\",\"model\":\"offline\"}"));
        String withHook = Store.requestHash(request, new WebhookEndpoint("https://x.example/h", false, "whsec_a"));
        assertThat(withHook).isNotEqualTo(Store.requestHash(request))
                .isEqualTo(Store.requestHash(request, new WebhookEndpoint("https://x.example/h", false, "whsec_other")))
                .isNotEqualTo(Store.requestHash(request, new WebhookEndpoint("https://x.example/h", true, "whsec_a")));
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
