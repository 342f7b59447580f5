package dev.contentgen.server.testing;

import dev.contentgen.server.Node;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.store.KeyStore;
import java.time.Clock;

/** Makes API keys for a node under test straight in its store, as {@code contentgen keys create} does. */
public final class Keys {
    private Keys() {}

    public static ApiKeys of(Node node) {
        return new ApiKeys(new KeyStore(node.database().jdbi(), Clock.systemUTC()), Clock.systemUTC());
    }

    /** A new key's secret. */
    public static String create(Node node, String owner, boolean admin) {
        return of(node).create(owner, admin).secret();
    }
}
