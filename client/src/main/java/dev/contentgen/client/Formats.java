package dev.contentgen.client;

import dev.contentgen.api.FormatList;
import dev.contentgen.api.Json;
import java.net.http.HttpRequest;

/** The formats the server offers, with their options: ask it rather than assume a fixed list. */
public final class Formats {
    private final Http http;
    private final Calls calls;

    Formats(Http http, Calls calls) {
        this.http = http;
        this.calls = calls;
    }

    /** Every format the server loaded (its shipped ones and its operator's), and the default. */
    public FormatList list() {
        HttpRequest get = http.request("api/formats").GET().build();
        return calls.send("list formats", get, null, r -> Json.read(r.body(), FormatList.class));
    }
}
