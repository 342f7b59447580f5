package dev.contentgen.client;

import dev.contentgen.api.Json;
import dev.contentgen.api.UsageReport;
import java.net.http.HttpRequest;
import java.time.Instant;

/** The caller's own token use and cost ({@code GET /api/usage}): its key's owner, never another's. */
public final class Usage {
    private final Http http;
    private final Calls calls;

    Usage(Http http, Calls calls) {
        this.http = http;
        this.calls = calls;
    }

    /** Everything the caller's jobs used. */
    public UsageReport total() {
        return since(null);
    }

    /** What the caller's jobs used since {@code since} (null: ever). */
    public UsageReport since(Instant since) {
        HttpRequest get = http.request("api/usage" + (since == null ? "" : "?since=" + since)).GET().build();
        return calls.send("get usage", get, null, r -> Json.read(r.body(), UsageReport.class));
    }
}
