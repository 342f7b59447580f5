package dev.contentgen.server.pipeline;

import dev.contentgen.server.pipeline.providers.ProviderFailure;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress label that makes a provider retry visible in the stream, e.g.
 * "Writing section 2 of 4: Costs — retrying in 4s (attempt 2 of 5): the provider is rate limiting requests (HTTP 429)".
 */
final class RetryLabel {
    static final String MARK = " — retrying in ";

    private RetryLabel() {}

    static String of(String stepLabel, ProviderFailure failure, Duration wait, int nextAttempt, int maxAttempts) {
        return stepLabel + MARK + seconds(wait) + " (attempt " + nextAttempt + " of " + maxAttempts + "): " + failure.describe();
    }

    private static String seconds(Duration wait) {
        long ms = wait.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
