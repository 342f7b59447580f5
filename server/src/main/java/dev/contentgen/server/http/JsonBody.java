package dev.contentgen.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads a small JSON request body (keys, sessions) strictly: one object, known fields, no duplicates. */
final class JsonBody {
    private static final int MAX_BYTES = 4096;

    private JsonBody() {}

    static <T> T read(Context ctx, Class<T> type) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ApiException(ErrorCode.BODY_TOO_LARGE, "The body is larger than " + MAX_BYTES + " bytes.");
        }
        ObjectReader reader = Json.MAPPER.readerFor(type)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            T value = reader.readValue(bytes);
            if (value == null) {
                throw new ApiException(ErrorCode.MALFORMED_JSON, "The body must be a JSON object.");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String why = e.getOriginalMessage();
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The body is not the JSON object this endpoint takes: "
                    + (why.length() > 200 ? why.substring(0, 200) + "…" : why));
        }
    }
}
