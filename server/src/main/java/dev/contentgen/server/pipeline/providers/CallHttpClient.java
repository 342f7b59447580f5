package dev.contentgen.server.pipeline.providers;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The HTTP client of one provider call, plugged into LangChain4j through its HttpClient SPI, for
 * three things its JDK client does not give us: the Retry-After header of a refusal, a way to
 * close the connection before the first token (LangChain4j's streaming handle only exists after
 * it), and a signal when the body ends (Ollama and Anthropic say nothing when a stream stops early).
 */
final class CallHttpClient implements HttpClient {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final java.net.http.HttpClient http;
    private final Executor streams;
    private final Clock clock;
    private final Runnable onBodyEnd;
    private volatile boolean aborted;
    private volatile CompletableFuture<?> inFlight;
    private volatile InputStream body;

    CallHttpClient(java.net.http.HttpClient http, Executor streams, Clock clock, Runnable onBodyEnd) {
        this.http = http;
        this.streams = streams;
        this.clock = clock;
        this.onBodyEnd = onBodyEnd;
    }

    /** Closes the call's connection, whatever stage it is at; later callbacks are dropped. */
    void abort() {
        aborted = true;
        CompletableFuture<?> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
        closeBody();
    }

    private void closeBody() {
        InputStream b = body;
        if (b != null) {
            try {
                b.close();
            } catch (IOException e) {
                // Closing is how we hang up; a failure to close cleanly changes nothing for us.
            }
        }
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(toJdk(request), BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw refusal(response);
            }
            return SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                    .headers(response.headers().map()).body(response.body()).build();
        } catch (IOException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        CompletableFuture<HttpResponse<InputStream>> sent = http.sendAsync(toJdk(request), BodyHandlers.ofInputStream());
        // The JDK's own future is the one whose cancel aborts the exchange; a dependent stage's would not.
        inFlight = sent;
        if (aborted) {
            sent.cancel(true);
        }
        // Async on purpose: when the answer is already there, a plain thenAccept would read the whole
        // stream on the caller's thread, the worker that must watch the stream for silence.
        sent.thenAcceptAsync(response -> stream(response, parser, listener), streams)
                .exceptionally(error -> {
                    if (!aborted) {
                        listener.onError(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                    }
                    return null;
                });
    }

    private void stream(HttpResponse<InputStream> response, ServerSentEventParser parser, ServerSentEventListener listener) {
        body = response.body();
        if (aborted) {
            closeBody();
            return;
        }
        if (response.statusCode() / 100 != 2) {
            try (InputStream in = response.body()) {
                in.readNBytes(MAX_ERROR_BODY);
            } catch (IOException e) {
                // The status says it all; the body is never shown anyway.
            }
            listener.onError(refusal(response));
            return;
        }
        listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                .headers(response.headers().map()).build());
        parser.parse(body, listener);
        if (!aborted) {
            listener.onClose();
            onBodyEnd.run();
        }
    }

    private ProviderHttpException refusal(HttpResponse<?> response) {
        return new ProviderHttpException(response.statusCode(),
                RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock));
    }

    private static java.net.http.HttpRequest toJdk(HttpRequest request) {
        var builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        builder.method(request.method().name(),
                request.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofString(request.body()));
        return builder.build();
    }

    /** Hands this call's client to a LangChain4j model builder; its timeouts are ours, not the builder's. */
    HttpClientBuilder builder() {
        CallHttpClient client = this;
        return new HttpClientBuilder() {
            private Duration connect;
            private Duration read;

            public Duration connectTimeout() { return connect; }
            public HttpClientBuilder connectTimeout(Duration timeout) { connect = timeout; return this; }
            public Duration readTimeout() { return read; }
            public HttpClientBuilder readTimeout(Duration timeout) { read = timeout; return this; }
            public HttpClient build() { return client; }
        };
    }
}
