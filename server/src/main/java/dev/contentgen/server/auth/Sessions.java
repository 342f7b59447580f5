package dev.contentgen.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The web UI's sign-in: a key is exchanged once for a signed session value kept in an HttpOnly
 * cookie, so page scripts never hold the key. The value names the key by id, and every request
 * checks that key is still active, so revoking the key ends its sessions too.
 */
public final class Sessions {
    public static final String COOKIE = "contentgen_session";
    static final String PREFIX = "cgss_";

    private final Signer signer;
    private final Clock clock;
    private final Duration ttl;

    public Sessions(Signer signer, Clock clock, Duration ttl) {
        this.signer = signer;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(Principal.KeyHolder holder) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return signer.sign(PREFIX, String.join("|", "session", holder.keyId(), Long.toString(expires)));
    }

    /** The id of the key behind a session cookie that is ours and unexpired. */
    public Optional<String> keyId(String cookie) {
        return signer.verify(PREFIX, cookie).map(payload -> payload.split("\\|", -1))
                .filter(f -> f.length == 3 && f[0].equals("session"))
                .filter(f -> {
                    try {
                        return clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(f[2])));
                    } catch (NumberFormatException e) {
                        return false;
                    }
                })
                .map(f -> f[1]);
    }
}
