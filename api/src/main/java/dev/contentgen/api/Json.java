package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The one JSON codec of the wire model, used by the server and clients alike. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /**
     * For what clients send: a repeated field or anything after the value is an error, where the
     * lenient defaults would keep the last one or ignore the rest (and a proxy might read it differently).
     */
    public static final ObjectReader STRICT = MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The flat SSE data object: {@code {seq, type, jobId, at, ...payload}}. Written in one pass (every
     * event a server stores is encoded here once): the payload's fields are unwrapped into the
     * envelope, its type id left out since the envelope carries it.
     */
    public static String writeEvent(LoggedEvent logged) {
        try {
            return EVENT_WRITER.writeValueAsString(new Envelope(logged.seq(), logged.event().type(), logged.jobId(),
                    logged.at().toString(), logged.event()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonPropertyOrder({"seq", "type", "jobId", "at"})
    private record Envelope(long seq, String type, String jobId, String at, @JsonUnwrapped JobEvent event) {}

    private static final ObjectWriter EVENT_WRITER = MAPPER.writerFor(Envelope.class)
            .without(SerializationFeature.FAIL_ON_UNWRAPPED_TYPE_IDENTIFIERS);

    public static LoggedEvent readEvent(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            JobEvent event = MAPPER.treeToValue(node, JobEvent.class);
            return new LoggedEvent(node.get("seq").asLong(), node.get("jobId").asText(),
                    Instant.parse(node.get("at").asText()), event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
