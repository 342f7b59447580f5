package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.pipeline.format.Templates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompt texts: each step's template from its format file, plus {@code prompts/system.txt},
 * filled with {@code {{placeholders}}} from the job and the earlier artifacts the step reads.
 */
public final class Prompts {
    /** A system and a user message for one step. */
    public record Rendered(String system, String user) {}

    private final Map<String, String> templates = new ConcurrentHashMap<>();

    /** The system prompt and the step's template, filled in. Unknown placeholders fail loudly. */
    public Rendered render(StepPrompt prompt) {
        Map<String, String> values = values(prompt);
        String system = templates.computeIfAbsent("system.txt", Prompts::load);
        String user = Templates.fill(prompt.step().spec().prompt(), values,
                "the prompt of step " + prompt.step().kind() + " in " + prompt.step().format().source()).strip();
        return new Rendered(Templates.fill(system, values, "prompt system.txt").strip(), withRedo(user, prompt.redo()));
    }

    /** A regenerated step's prompt ends with the text it replaces and the instruction, so "shorter" has a reference. */
    private String withRedo(String user, StepPrompt.Redo redo) {
        if (redo == null) {
            return user;
        }
        String instruction = redo.instruction() == null ? "Make it better than the previous one."
                : "The editor's instruction for it: " + redo.instruction();
        String revision = Templates.fill(templates.computeIfAbsent("revision.txt", Prompts::load),
                Map.of("previous", redo.previous().strip(), "instruction", instruction), "prompt revision.txt");
        return user + "\n\n" + revision.strip();
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
        v.put("part", Integer.toString(prompt.step().part()));
        v.put("parts", Integer.toString(prompt.step().parts()));
        if (!prompt.step().isAssembly()) {
            for (String kind : prompt.step().spec().reads()) {
                v.put(kind, Assembly.readable(prompt.step().format(), kind, prompt.earlier()));
            }
        }
        return v;
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
