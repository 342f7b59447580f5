package dev.contentgen.client;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/** Sends one API call, retrying what can be retried (every call of the API is safe to repeat). */
final class Calls {
    private final Http http;
    private final RetryPolicy policy;
    private final Backoff backoff;
    private final ClientListener listener;

    Calls(Http http, RetryPolicy policy, Backoff backoff, ClientListener listener) {
        this.http = http;
        this.policy = policy;
        this.backoff = backoff;
        this.listener = listener;
    }

    /**
     * Sends {@code request} until it gets a 2xx (read by {@code onSuccess}), a failure that is not
     * retryable, or the policy's last attempt. {@code jobId} names the job the call is about, if any.
     */
    <T> T send(String what, HttpRequest request, String jobId, Function<HttpResponse<String>, T> onSuccess) {
        for (int attempt = 1; ; attempt++) {
            Failure failure;
            try {
                HttpResponse<String> response = http.client().send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status <= 299) {
                    return onSuccess.apply(response);
                }
                failure = Failures.ofStatus(status, response.headers().firstValue("Content-Type").orElse(null), response.body(),
                        response.headers().firstValue("Retry-After").orElse(null), jobId, http.base());
            } catch (IOException e) {
                failure = Failures.ofException(e, http.base());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted: " + what);
            }
            if (!failure.retryable() || attempt >= policy.maxAttempts()) {
                throw new ContentGenException(failure.retryable() ? gaveUp(failure, attempt) : failure);
            }
            Duration delay = backoff.delay(attempt, failure instanceof Failure.ServerUnavailable u ? u.retryAfter() : null);
            listener.onRetrying(new ClientListener.Retrying("retrying: " + what, attempt + 1, delay, failure));
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted: " + what);
            }
        }
    }

    private static Failure gaveUp(Failure failure, int attempts) {
        String suffix = " Gave up after " + attempts + " attempts.";
        return switch (failure) {
            case Failure.ServerUnreachable u -> new Failure.ServerUnreachable(u.server(), u.message() + suffix);
            case Failure.ConnectionClosed c -> new Failure.ConnectionClosed(c.message() + suffix);
            case Failure.TimedOut t -> new Failure.TimedOut(t.after(), t.message() + suffix);
            case Failure.ServerUnavailable u -> new Failure.ServerUnavailable(u.status(), u.code(), u.retryAfter(), u.message() + suffix);
            default -> failure;
        };
    }
}
