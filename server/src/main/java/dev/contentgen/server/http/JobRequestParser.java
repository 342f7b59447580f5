package dev.contentgen.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Format;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Json;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.server.pipeline.Providers;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.store.WebhookEndpoint;
import dev.contentgen.server.webhook.AddressPolicy;
import dev.contentgen.server.webhook.Signature;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses a job-creation body into a valid {@link JobRequest}, or says exactly what is wrong. */
final class JobRequestParser {
    private static final Set<String> FIELDS = Set.of("topic", "format", "tone", "length", "audience", "provider", "model", "webhook");
    private static final int MAX_URL_LENGTH = 2000;

    /**
     * A parsed body: the job, and its webhook endpoint (with a new secret) or null; {@code noWebhook}
     * when the body said {@code "webhook": null}, which also declines the key's default webhook.
     */
    record Parsed(JobRequest request, WebhookEndpoint webhook, boolean noWebhook) {}

    private JobRequestParser() {}

    /** Parses the body; a {@code provider}/{@code model} must be one {@code providers} offers (resolved to it). */
    static Parsed parse(String body, Providers providers, Formats formats) {
        JsonNode root;
        try {
            root = Json.STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON,
                    "The body is not valid JSON (" + e.getOriginalMessage() + "). Send a JSON object such as {\"topic\": \"Why SSE streams die\"}.");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The body must be a JSON object such as {\"topic\": \"Why SSE streams die\"}.");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (field.getValue().isTextual() && !wellFormed(field.getValue().asText())) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "'" + name + "' holds an unpaired UTF-16 surrogate "
                        + "(such as \\ud800 without its partner); send well-formed Unicode text.");
            }
            if (!FIELDS.contains(name)) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "Unknown field '" + name + "'. Allowed fields: topic, format, tone, length, audience, provider, model, webhook.");
            }
        }
        String topic = topic(root.get("topic"));
        FormatSpec format = option(root, "format", name -> Format.parse(name).flatMap(formats::find),
                formats.require(Format.ARTICLE), formats.all().toArray(FormatSpec[]::new), FormatSpec::name, ErrorCode.UNKNOWN_FORMAT);
        Tone tone = option(root, "tone", Tone::parse, Tone.NEUTRAL, format.tones().toArray(Tone[]::new), Tone::wireName, ErrorCode.INVALID_FIELD);
        Length length = option(root, "length", Length::parse, Length.MEDIUM, format.lengths().toArray(Length[]::new), Length::wireName, ErrorCode.INVALID_FIELD);
        if (!format.tones().contains(tone) || !format.lengths().contains(length)) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Format " + format.name() + " takes tone "
                    + String.join(", ", format.tones().stream().map(Tone::wireName).toList()) + " and length "
                    + String.join(", ", format.lengths().stream().map(Length::wireName).toList()) + " (see GET /api/formats).");
        }
        JobRequest request = choice(new JobRequest(topic, format.format(), tone, length, audience(root.get("audience"))), root, providers);
        JsonNode webhook = root.get("webhook");
        return new Parsed(request, webhook(webhook), webhook != null && webhook.isNull());
    }

    /** Optional: {"url": "https://…", "events": ["terminal"] (the default) or ["terminal", "step"]}. */
    static WebhookEndpoint webhook(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String example = " Send e.g. {\"url\": \"https://example.com/hooks/contentgen\", \"events\": [\"terminal\", \"step\"]}.";
        if (!node.isObject()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'webhook' must be an object." + example);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getKey().equals("url") && !field.getKey().equals("events")) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "Unknown field 'webhook." + field.getKey() + "'. Allowed fields: url, events.");
            }
        }
        JsonNode url = node.get("url");
        if (url == null || !url.isTextual() || url.asText().isBlank() || url.asText().length() > MAX_URL_LENGTH) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'webhook.url' must be an http or https URL of at most " + MAX_URL_LENGTH + " characters." + example);
        }
        URI uri;
        try {
            uri = new URI(url.asText().strip());
        } catch (URISyntaxException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'webhook.url' is not a valid URL (" + e.getReason() + ").");
        }
        AddressPolicy.shapeRefusal(uri).ifPresent(reason -> {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'webhook.url' is refused: " + reason + ".");
        });
        boolean steps = false;
        JsonNode events = node.get("events");
        if (events != null && !events.isNull()) {
            if (!events.isArray() || events.isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "'webhook.events' must be a non-empty list of \"terminal\" and \"step\".");
            }
            boolean terminal = false;
            for (JsonNode event : events) {
                switch (event.isTextual() ? event.asText() : "") {
                    case "terminal" -> terminal = true;
                    case "step" -> steps = true;
                    default -> throw new ApiException(ErrorCode.INVALID_FIELD,
                            "Unknown webhook event " + event + ". Use \"terminal\" (the job ended) and/or \"step\" (a step completed).");
                }
            }
            if (!terminal) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "'webhook.events' must include \"terminal\": every webhook reports how the job ended.");
            }
        }
        return new WebhookEndpoint(uri.toString(), steps, Signature.newSecret());
    }

    /** Optional; blank counts as not given, so an empty form field and no field mean the same job. */
    private static String audience(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'audience' must be a string, e.g. \"engineering managers\".");
        }
        String audience = node.asText().strip();
        if (audience.codePointCount(0, audience.length()) > JobRequest.MAX_AUDIENCE_LENGTH) {
            throw new ApiException(ErrorCode.INVALID_FIELD,
                    "'audience' is too long: at most " + JobRequest.MAX_AUDIENCE_LENGTH + " characters.");
        }
        if (audience.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'audience' must be one line without control characters.");
        }
        return audience.isEmpty() ? null : audience;
    }

    /** Stores the provider and model the job will run with, so a later change of defaults does not change it. */
    private static JobRequest choice(JobRequest request, JsonNode root, Providers providers) {
        String providerName = text(root, "provider");
        String model = text(root, "model");
        String offered = String.join(", ", providers.names());
        Providers.Offer offer = providerName == null
                ? providers.offer(providers.defaultProvider().name()).orElseThrow()
                : providers.offer(providerName).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_PROVIDER,
                        "Unknown provider '" + providerName + "'. This server offers: " + offered + " (see GET /api/providers)."));
        if (model != null && !offer.models().contains(model)) {
            throw new ApiException(ErrorCode.UNKNOWN_MODEL, "Provider " + offer.provider().name() + " does not offer model '"
                    + model + "' here. Use one of: " + String.join(", ", offer.models()) + ".");
        }
        return request.withProvider(offer.provider().name(), model == null ? offer.defaultModel() : model);
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 200) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'" + field + "' must be a non-blank string (see GET /api/providers).");
        }
        return node.asText().strip();
    }

    private static String topic(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'topic' is required: what should the content be about?");
        }
        if (!node.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'topic' must be a string.");
        }
        String topic = node.asText().strip();
        if (topic.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'topic' must not be blank.");
        }
        if (topic.codePointCount(0, topic.length()) > JobRequest.MAX_TOPIC_LENGTH) {
            throw new ApiException(ErrorCode.INVALID_FIELD,
                    "'topic' is too long: at most " + JobRequest.MAX_TOPIC_LENGTH + " characters.");
        }
        if (topic.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'topic' must not contain control characters.");
        }
        return topic;
    }

    private static <T> T option(JsonNode root, String field, Function<String, java.util.Optional<T>> parse, T fallback,
                                T[] values, Function<T, String> wireName, ErrorCode code) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        String allowed = Arrays.stream(values).map(wireName).collect(Collectors.joining(", "));
        if (!node.isTextual()) {
            throw new ApiException(code, "'" + field + "' must be one of: " + allowed + ".");
        }
        return parse.apply(node.asText().strip()).orElseThrow(() -> new ApiException(code,
                "Unknown " + field + " '" + node.asText() + "'. Use one of: " + allowed + "."
                        + (field.equals("format") ? " (see GET /api/formats)" : "")));
    }

    /** A lone surrogate is legal in a JSON escape but is no character: storing it would break every UTF-8 reader after us. */
    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
