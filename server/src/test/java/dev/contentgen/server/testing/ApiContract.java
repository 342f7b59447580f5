package dev.contentgen.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API document (server/src/main/resources/openapi.json) as a contract: every response a test
 * sees through {@link Api} on a documented path is checked against it — its status must be
 * documented for the operation, its content type listed, its JSON body valid against the schema.
 */
public final class ApiContract {
    /** Where the document's schemas are found by $ref; it is loaded from the classpath, never fetched. */
    private static final String DOCUMENT_IRI = "https://contentgen.dev/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = readDocument();
    private static final JsonNode DOCUMENT = parse(TEXT);
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, TEXT))));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();
    private static final List<Template> TEMPLATES = templates();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private ApiContract() {}

    /** One documented path, with its parameters as a pattern. */
    private record Template(String path, Pattern pattern) {}

    /** The document itself. */
    public static JsonNode document() {
        return DOCUMENT;
    }

    /** Every operation of the document, as "METHOD /path". */
    public static Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        DOCUMENT.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /** The operations and statuses checked so far in this JVM, as "METHOD /path STATUS". */
    public static Set<String> seen() {
        return Set.copyOf(SEEN);
    }

    /** Fails (AssertionError) when a response to a documented path does not match the document. */
    public static void check(String method, URI uri, int status, String contentType, String body) {
        Optional<Template> template = TEMPLATES.stream().filter(t -> t.pattern().matcher(uri.getRawPath()).matches()).findFirst();
        if (template.isEmpty()) {
            return;
        }
        String path = template.get().path();
        String what = method + " " + uri.getRawPath() + " → " + status;
        JsonNode operation = DOCUMENT.get("paths").get(path).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            if (status < 400) {
                throw new AssertionError(what + ": " + method + " " + path + " is not in openapi.json");
            }
            return;
        }
        JsonNode responses = operation.get("responses");
        JsonNode response = responses.get(Integer.toString(status));
        String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
        if (response == null) {
            if (status < 400 || !responses.has("default")) {
                throw new AssertionError(what + ": status " + status + " is not documented for " + method + " " + path + "\n" + body);
            }
            response = responses.get("default");
        }
        response = resolve(response);
        SEEN.add(method + " " + path + " " + status);
        JsonNode content = response.get("content");
        if (content == null) {
            if (body != null && !body.isEmpty()) {
                throw new AssertionError(what + ": documented without a body, but one came: " + body);
            }
            return;
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        JsonNode media = content.get(mediaType);
        if (media == null) {
            throw new AssertionError(what + ": content type '" + contentType + "' is not documented (" + content.properties().stream().map(Map.Entry::getKey).toList() + ")");
        }
        if (mediaType.endsWith("json")) {
            List<String> errors = validate(media.get("schema"), parse(body));
            if (!errors.isEmpty()) {
                throw new AssertionError(what + " does not match openapi.json (" + pointer + "): " + errors + "\n" + body);
            }
        }
    }

    /** The errors of {@code value} against the document's schema {@code name} (e.g. "JobEvent"); empty when valid. */
    public static List<String> validate(String name, JsonNode value) {
        return validate(JSON.createObjectNode().put("$ref", "#/components/schemas/" + name), value);
    }

    private static List<String> validate(JsonNode schema, JsonNode value) {
        JsonSchema compiled = COMPILED.computeIfAbsent(schema.toString(), key -> SCHEMAS.getSchema(anchored(schema.deepCopy()), CONFIG));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : compiled.validate(value)) {
            errors.add(message.getMessage());
        }
        return errors;
    }

    /** A schema taken out of the document, its local $refs made to point into the document. */
    private static JsonNode anchored(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                object.set("$ref", new TextNode(DOCUMENT_IRI + ref.asText()));
            }
            object.fields().forEachRemaining(field -> anchored(field.getValue()));
            if (!object.has("$schema")) {
                object.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            }
        } else if (schema.isArray()) {
            schema.forEach(ApiContract::anchored);
        }
        return schema;
    }

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = DOCUMENT.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private static List<Template> templates() {
        List<Template> templates = new ArrayList<>();
        for (Iterator<String> paths = DOCUMENT.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            String regex = Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            templates.add(new Template(path, Pattern.compile(regex)));
        }
        // Literal paths before templated ones.
        templates.sort((a, b) -> Boolean.compare(a.path().contains("{"), b.path().contains("{")));
        return templates;
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text == null ? "" : text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String readDocument() {
        try (InputStream in = ApiContract.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
