package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The prompt texts, one resource per format and step ({@code prompts/article/section.txt}) plus
 * {@code prompts/system.txt}, filled with {@code {{placeholders}}} from the job and earlier steps.
 */
public final class Prompts {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    /** A system and a user message for one step. */
    public record Rendered(String system, String user) {}

    private final Map<String, String> templates = new ConcurrentHashMap<>();

    /** The system prompt and the step's template, filled in. Unknown placeholders fail loudly. */
    public Rendered render(StepPrompt prompt) {
        Map<String, String> values = values(prompt);
        String step = prompt.request().format().wireName() + "/" + prompt.step().kind().artifactKind() + ".txt";
        return new Rendered(fill("system.txt", values), fill(step, values));
    }

    String fill(String name, Map<String, String> values) {
        String template = templates.computeIfAbsent(name, Prompts::load);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("prompt " + name + " uses an unknown placeholder {{" + m.group(1)
                        + "}}; known: " + String.join(", ", values.keySet().stream().sorted().toList()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().strip();
    }

    static Map<String, String> values(StepPrompt prompt) {
        JobRequest request = prompt.request();
        Map<String, String> v = new HashMap<>();
        v.put("topic", request.topic());
        v.put("tone", request.tone().wireName());
        v.put("length", request.length().wireName());
        v.put("format", request.format().wireName());
        v.put("sectionCount", Integer.toString(request.length().sections()));
        v.put("wordsPerSection", Integer.toString(request.length().wordsPerSection()));
        v.put("postCount", Integer.toString(Plan.threadPosts(request)));
        v.put("sectionNumber", Integer.toString(prompt.step().part()));
        v.put("sectionTitle", prompt.title());
        v.put("outline", content(prompt, "outline"));
        v.put("hook", content(prompt, "hook"));
        v.put("sections", prompt.earlier().stream().filter(a -> a.kind().equals("section"))
                .map(a -> "## " + a.title() + "\n\n" + a.content().strip())
                .collect(Collectors.joining("\n\n")));
        return v;
    }

    private static String content(StepPrompt prompt, String kind) {
        return prompt.earlier().stream().filter(a -> a.kind().equals(kind)).map(FinishedArtifact::content)
                .map(String::strip).findFirst().orElse("");
    }

    private static String load(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream("/prompts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no prompt resource prompts/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompts/" + name, e);
        }
    }
}
