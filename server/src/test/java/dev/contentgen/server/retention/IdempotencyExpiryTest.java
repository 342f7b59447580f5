package dev.contentgen.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Idempotency keys name their job for --idempotency-ttl (24 h), then a retention pass lets them go. */
@ParameterizedClass
@EnumSource(TestStore.class)
class IdempotencyExpiryTest {
    private static final String BODY = "{\"topic\": \"Once per key\", \"length\": \"short\"}";

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anExpiredIdempotencyKeyCreatesANewJob() {
        Api.Response first = api.post("/api/jobs", BODY, "Idempotency-Key", "key-1");
        assertThat(first.status()).isEqualTo(201);
        Retention hourLater = at(Duration.ofHours(1));
        assertThat(hourLater.run(RetentionPolicy.defaults()).keysExpired()).as("within 24 h").isZero();
        Api.Response repeated = api.post("/api/jobs", BODY, "Idempotency-Key", "key-1");
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.as(Job.class).id()).isEqualTo(first.as(Job.class).id());

        assertThat(at(Duration.ofHours(25)).run(RetentionPolicy.defaults()).keysExpired()).isEqualTo(1);

        Api.Response afterExpiry = api.post("/api/jobs", BODY, "Idempotency-Key", "key-1");
        assertThat(afterExpiry.status()).as("a new job").isEqualTo(201);
        assertThat(afterExpiry.as(Job.class).id()).isNotEqualTo(first.as(Job.class).id());
        assertThat(api.get("/api/jobs/" + first.as(Job.class).id()).status()).as("the old job stays").isEqualTo(200);
        Api.Response again = api.post("/api/jobs", BODY, "Idempotency-Key", "key-1");
        assertThat(again.as(Job.class).id()).as("the key now names the new job").isEqualTo(afterExpiry.as(Job.class).id());
    }

    private Retention at(Duration ahead) {
        return new Retention(node.database().jdbi(), node.database().dialect(), Clock.offset(Clock.systemUTC(), ahead), node.store());
    }
}
