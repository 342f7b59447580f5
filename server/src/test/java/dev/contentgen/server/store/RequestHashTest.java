package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Format;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Json;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys compare request hashes stored by earlier versions: a format that became data
 * must hash (and go on the wire) exactly as the enum it replaced.
 */
class RequestHashTest {
    @Test
    void requestsHashAsTheyDidWhenFormatWasAnEnum() {
        JobRequest plain = new JobRequest("Tides", Format.ARTICLE, Tone.NEUTRAL, Length.MEDIUM);
        assertThat(Json.write(plain)).isEqualTo("{\"topic\":\"Tides\",\"format\":\"article\",\"tone\":\"neutral\",\"length\":\"medium\"}");
        assertThat(Store.requestHash(plain)).isEqualTo("66e59c4966a0ecaeb75f3d4aaaff9405ad831f3f4dae196275211d8a44ba60eb");

        JobRequest full = new JobRequest("Tides", Format.parse("Social-Thread").orElseThrow(), Tone.PLAYFUL, Length.LONG,
                "sailors", "offline", "offline");
        assertThat(full.format()).isEqualTo(Format.SOCIAL_THREAD);
        assertThat(Store.requestHash(full)).isEqualTo("351189819d158b3f9312ab4d132bc3d241aab2fa300530ed7274635b6776657e");
    }

    @Test
    void aFormatReadsBackFromItsWireName() {
        JobRequest read = Json.read("{\"topic\":\"Tides\",\"format\":\"blog-post\",\"tone\":\"neutral\",\"length\":\"short\"}", JobRequest.class);
        assertThat(read.format().wireName()).isEqualTo("blog-post");
        assertThat(Format.parse("not a name")).isEmpty();
    }
}
