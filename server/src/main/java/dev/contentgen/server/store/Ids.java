package dev.contentgen.server.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** UUIDv7 ids: they sort by creation time, so "newest first" is "id descending". */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId(Clock clock) {
        long millis = clock.millis();
        long msb = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
