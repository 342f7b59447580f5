package dev.contentgen.server.auth;

import dev.contentgen.api.StreamToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Short-lived, read-only tokens for one job's event stream ({@code ?token=}), because a browser's
 * EventSource cannot send an Authorization header. Signed, so any node checks them without the store.
 */
public final class StreamTokens {
    static final String PREFIX = "cgst_";

    private final Signer signer;
    private final Clock clock;
    private final Duration ttl;

    public StreamTokens(Signer signer, Clock clock, Duration ttl) {
        this.signer = signer;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** What a token says about a request for the events of {@code jobId}. */
    public sealed interface Check {
        record Valid(Principal.StreamReader reader) implements Check {}
        /** Signed by us, but for another job: to this request, the job does not exist. */
        record OtherJob() implements Check {}
        record Expired(Instant at) implements Check {}
        record Invalid() implements Check {}
    }

    public StreamToken issue(String jobId, String owner) {
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String token = signer.sign(PREFIX, String.join("|", "stream", jobId, owner, Long.toString(expires.getEpochSecond())));
        return new StreamToken(jobId, token, expires);
    }

    public Check check(String token, String jobId) {
        Optional<String[]> fields = signer.verify(PREFIX, token).map(payload -> payload.split("\\|", -1));
        if (fields.isEmpty() || fields.get().length != 4 || !fields.get()[0].equals("stream")) {
            return new Check.Invalid();
        }
        String[] f = fields.get();
        if (!f[1].equals(jobId)) {
            return new Check.OtherJob();
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
            return new Check.Invalid();
        }
        if (!clock.instant().isBefore(expires)) {
            return new Check.Expired(expires);
        }
        return new Check.Valid(new Principal.StreamReader(f[2], jobId));
    }
}
