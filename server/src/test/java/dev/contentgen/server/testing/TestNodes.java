package dev.contentgen.server.testing;

import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Starts nodes for tests: a real SQLite file in a temp dir, a free port, the generator at full speed. */
public final class TestNodes {
    private TestNodes() {}

    public static Config config(Path dataDir) {
        return Config.defaults()
                .withPort(0)
                .withDataDir(dataDir)
                .withTokensPerSecond(0)
                .withHeartbeat(Duration.ofSeconds(1))
                .withLease(Duration.ofSeconds(5));
    }

    public static URI uri(Node node) {
        return URI.create("http://127.0.0.1:" + node.port());
    }
}
