package dev.contentgen.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.RegenerateRequest;
import java.util.Map;
import java.util.Set;

/** Parses a regenerate body, {@code {"step": "section-2", "instruction": "shorter"}}, or says what is wrong. */
final class RegenerateRequestParser {
    private static final Set<String> FIELDS = Set.of("step", "instruction");
    private static final String EXAMPLE = " Send e.g. {\"step\": \"section-2\", \"instruction\": \"shorter\"}.";

    private RegenerateRequestParser() {}

    static RegenerateRequest parse(String body) {
        JsonNode root;
        try {
            root = Json.STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The body is not valid JSON (" + e.getOriginalMessage() + ")." + EXAMPLE);
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The body must be a JSON object." + EXAMPLE);
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "Unknown field '" + field.getKey() + "'. Allowed fields: step, instruction.");
            }
            if (field.getValue().isTextual() && !JobRequestParser.wellFormed(field.getValue().asText())) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "'" + field.getKey() + "' holds an unpaired UTF-16 surrogate; send well-formed Unicode text.");
            }
        }
        JsonNode step = root.get("step");
        if (step == null || !step.isTextual() || step.asText().isBlank() || step.asText().length() > 100) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'step' is required: the key of the step to write again (see the job's progress events)." + EXAMPLE);
        }
        return new RegenerateRequest(step.asText().strip(), instruction(root.get("instruction")));
    }

    /** Optional; blank counts as none. One paragraph at most, no control characters but newlines and tabs. */
    private static String instruction(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'instruction' must be a string, e.g. \"shorter\" or \"more examples\".");
        }
        String text = node.asText().strip();
        if (text.codePointCount(0, text.length()) > RegenerateRequest.MAX_INSTRUCTION_LENGTH) {
            throw new ApiException(ErrorCode.INVALID_FIELD,
                    "'instruction' is too long: at most " + RegenerateRequest.MAX_INSTRUCTION_LENGTH + " characters.");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'instruction' must not contain control characters.");
        }
        return text.isEmpty() ? null : text;
    }
}
