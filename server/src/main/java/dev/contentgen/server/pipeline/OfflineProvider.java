package dev.contentgen.server.pipeline;

import java.time.Duration;

/**
 * The embedded generator: no network, deterministic text for a given topic and options,
 * delivered at a realistic token pace ({@code tokensPerSecond} 0 means as fast as possible).
 */
public final class OfflineProvider implements Provider {
    private final double tokensPerSecond;

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
        for (String token : Tokens.split(write(prompt))) {
            if (pauseNanos > 0) {
                due += pauseNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
            sink.accept(token);
        }
    }

    static String write(StepPrompt prompt) {
        var request = prompt.request();
        var prose = new OfflineProse(request.topic(), request.tone(), request.length());
        return switch (prompt.step().kind()) {
            case OUTLINE -> prose.outline();
            case SECTION -> prose.section(prompt.step().part() - 1, prompt.title());
            case SUMMARY -> prose.titleAndSummary();
            case HOOK -> prose.threadHook();
            case POSTS -> String.join("\n\n", prose.threadPosts(Plan.threadPosts(request)));
            case ARTICLE, THREAD -> throw new IllegalArgumentException("assembly steps are not generated: " + prompt.step());
        };
    }
}
