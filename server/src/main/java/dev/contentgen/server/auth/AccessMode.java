package dev.contentgen.server.auth;

import dev.contentgen.server.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node runs in local mode (one local owner, no keys) or requires keys. {@code auto}:
 * local while the node listens on loopback only and the store holds no active key; the first key
 * created switches every node of the store to keys within a second.
 */
public final class AccessMode {
    /** How a node decides; {@code none} is the loud opt-out that serves anyone without a key. */
    public enum Setting { AUTO, KEYS, NONE }

    private static final Logger log = LoggerFactory.getLogger(AccessMode.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Setting setting;
    private final boolean loopbackOnly;
    private final ApiKeys keys;
    private final Clock clock;
    private volatile long checkedAt;
    private volatile boolean keysExist;

    public AccessMode(Setting setting, boolean loopbackOnly, ApiKeys keys, Clock clock) {
        this.setting = setting;
        this.loopbackOnly = loopbackOnly;
        this.keys = keys;
        this.clock = clock;
    }

    public Setting setting() {
        return setting;
    }

    /** In local mode every request is the local owner's, but only from loopback Host names and the node's own pages. */
    public boolean local() {
        return switch (setting) {
            case NONE -> true;
            case KEYS -> false;
            case AUTO -> loopbackOnly && !keysExist();
        };
    }

    /** Whether the node listens on loopback only: then local mode answers only to loopback Host names (DNS rebinding). */
    public boolean loopbackOnly() {
        return loopbackOnly;
    }

    private boolean keysExist() {
        long now = clock.millis();
        if (now - checkedAt >= RECHECK.toMillis()) {
            checkedAt = now;
            try {
                keysExist = keys.anyActive();
            } catch (StoreException e) {
                // Safe: the mode stays what it was until the store answers again (keys are not created while it is away).
                log.debug("access mode unchanged, the store did not answer: {}", e.getMessage());
            }
        }
        return keysExist;
    }
}
