package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's PostgreSQL pool stays a few dozen connections however many workers it runs: two nodes
 * of 500 workers, each with a pool of twice its workers, took more connections than a default
 * PostgreSQL has (100) and failed their writes with "too many clients".
 */
class PoolSizeTest {
    private static final Pattern POOL_MAX = Pattern.compile("(?m)^hikaricp_connections_max\\{[^}]*} ([0-9.]+)$");

    @TempDir
    Path dir;

    @Test
    void manyWorkersShareACappedPostgresqlPool() throws Exception {
        Config config = TestNodes.config(dir.resolve("a")).withDb(TestStore.freshPostgresUrl()).withWorkers(500);
        try (Node node = new Node(config).start()) {
            assertThat(poolMax(node)).isEqualTo(Config.AUTOMATIC_POSTGRESQL_POOL_CAP);
        }
        try (Node few = new Node(config.withWorkers(2)).start()) {
            assertThat(poolMax(few)).as("a small node keeps its floor").isEqualTo(10);
        }
    }

    @Test
    void thePoolSizeCanBeSetOutright() throws Exception {
        Config config = TestNodes.config(dir.resolve("b")).withDb(TestStore.freshPostgresUrl()).withWorkers(500).withDbPool(64);
        try (Node node = new Node(config).start()) {
            assertThat(poolMax(node)).isEqualTo(64);
        }
    }

    private static int poolMax(Node node) {
        Matcher m = POOL_MAX.matcher(new Api(TestNodes.uri(node)).get("/metrics").body());
        assertThat(m.find()).as("the pool's own max meter").isTrue();
        return (int) Double.parseDouble(m.group(1));
    }
}
