package dev.contentgen.server.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The embedded generator: no network, deterministic text for a given topic and options,
 * delivered at a realistic token pace ({@code tokensPerSecond} 0 means as fast as possible).
 * A format file's step names one of its {@link #WRITERS} for the text it writes here. It reports
 * its own usage: the word tokens it emitted, and the word tokens of the prompt a model would have
 * been sent for the step.
 */
public final class OfflineProvider implements Provider {
    /** The writers a format step's {@code offline} may name. */
    public static final Set<String> WRITERS = Set.of("outline", "section", "summary", "hook", "posts", "seo-pack",
            "linkedin-post", "tagline", "features", "email", "intro", "sign-off");

    private final double tokensPerSecond;
    private final Prompts prompts = new Prompts();

    public OfflineProvider(double tokensPerSecond) {
        this.tokensPerSecond = tokensPerSecond;
    }

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public void generate(StepPrompt prompt, TokenSink sink, RunControl control) throws InterruptedException {
        long pauseNanos = tokensPerSecond <= 0 ? 0 : (long) (1_000_000_000L / tokensPerSecond);
        // Each token is due at its own time from the start, as from a real model that streams on
        // while we write: time spent appending is caught up, not added to the job's duration.
        long due = System.nanoTime();
        List<String> tokens = Tokens.split(write(prompt));
        for (String token : tokens) {
            if (pauseNanos > 0) {
                due += pauseNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
            sink.accept(token);
        }
        sink.usage(promptTokens(prompt), tokens.size());
    }

    /** The word tokens of the system and user messages a real provider would get for this step. */
    int promptTokens(StepPrompt prompt) {
        Prompts.Rendered rendered = prompts.render(prompt);
        return Tokens.split(rendered.system()).size() + Tokens.split(rendered.user()).size();
    }

    static String write(StepPrompt prompt) {
        if (prompt.step().isAssembly()) {
            throw new IllegalArgumentException("assembly steps are not generated: " + prompt.step());
        }
        String text = writeOriginal(prompt);
        return prompt.redo() == null ? text : OfflineRedo.apply(text, prompt.redo().instruction(), prompt.request().topic());
    }

    private static String writeOriginal(StepPrompt prompt) {
        var request = prompt.request();
        var prose = new OfflineProse(request.topic(), request.tone(), request.length(),
                prompt.redo() == null ? 0 : prompt.redo().revision());
        var pieces = new OfflinePieces(request.topic(), prose, prompt.earlier());
        int index = Math.max(prompt.step().part() - 1, 0);
        return switch (prompt.step().spec().offline()) {
            case "outline" -> prose.outline();
            case "section" -> prose.section(index, prompt.title());
            case "summary" -> prose.titleAndSummary();
            case "hook" -> prose.threadHook();
            case "posts" -> String.join("\n\n", prose.threadPosts(Plan.threadPosts(request)));
            case "seo-pack" -> pieces.seoPack();
            case "linkedin-post" -> pieces.linkedInPost();
            case "tagline" -> pieces.tagline();
            case "features" -> pieces.features();
            case "email" -> pieces.email(prompt.step().part(), prompt.step().parts(), prompt.title(), prose.section(index, prompt.title()));
            case "intro" -> pieces.intro();
            case "sign-off" -> pieces.signOff();
            default -> throw new IllegalArgumentException("unknown offline writer " + prompt.step().spec().offline()
                    + " (known: " + String.join(", ", List.copyOf(WRITERS)) + ")");
        };
    }
}
