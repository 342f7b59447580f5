package dev.contentgen.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import io.javalin.http.Context;

/** Reads a small JSON request body (keys, sessions) strictly: one object, known fields, no duplicates. */
final class JsonBody {
    private static final int MAX_BYTES = 4096;

    private JsonBody() {}

    static <T> T read(Context ctx, Class<T> type) {
        String body = RequestBody.read(ctx, MAX_BYTES);
        try {
            T value = Json.STRICT.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).forType(type).readValue(body);
            if (value == null) {
                throw new ApiException(ErrorCode.MALFORMED_JSON, "The body must be a JSON object.");
            }
            return value;
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The body is not the JSON object this endpoint takes: "
                    + (why.length() > 200 ? why.substring(0, 200) + "…" : why));
        }
    }
}
