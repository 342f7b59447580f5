package dev.contentgen.server.pipeline.providers;

import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.TokenSink;
import dev.contentgen.server.pipeline.providers.ProviderFailure.StreamBroken;
import dev.contentgen.server.pipeline.providers.ProviderFailure.StreamBroken.Why;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Bridges LangChain4j's callbacks (on a shared pool, where we must not block) to the worker's
 * thread through a queue, and gives up on a stream that is silent too long: before its first
 * token, or between two tokens.
 */
final class StreamWatchdog implements StreamingChatResponseHandler {
    private sealed interface Signal {}
    private record Token(String text) implements Signal {}
    private record Done(boolean truncated, TokenUsage usage) implements Signal {}
    private record Failed(Throwable error) implements Signal {}
    private record BodyEnded() implements Signal {}
    private record Stopped() implements Signal {}

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final StreamTimeouts timeouts;
    private final boolean nullFinishMeansTruncated;
    private volatile StreamingHandle handle;
    private volatile boolean cancelled;

    StreamWatchdog(StreamTimeouts timeouts, boolean nullFinishMeansTruncated) {
        this.timeouts = timeouts;
        this.nullFinishMeansTruncated = nullFinishMeansTruncated;
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        handle = context.streamingHandle();
        if (cancelled) {
            handle.cancel();
            return;
        }
        signals.add(new Token(partial.text()));
    }

    @Override
    public void onPartialResponse(String text) {
        signals.add(new Token(text));
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        signals.add(new Done(nullFinishMeansTruncated && response.finishReason() == null, response.tokenUsage()));
    }

    @Override
    public void onError(Throwable error) {
        signals.add(new Failed(error));
    }

    /** The HTTP body ended; if no completion came before it, the stream was cut short. */
    void bodyEnded() {
        signals.add(new BodyEnded());
    }

    /** Stops the stream through LangChain4j's handle when there is one, and wakes the worker. */
    void cancel() {
        cancelled = true;
        StreamingHandle h = handle;
        if (h != null) {
            h.cancel();
        }
        signals.add(new Stopped());
    }

    /** Passes on the counts the provider reported; a provider that reported neither count reports nothing. */
    private static void reportUsage(TokenUsage usage, TokenSink sink) {
        if (usage == null || (usage.inputTokenCount() == null && usage.outputTokenCount() == null)) {
            return;
        }
        sink.usage(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    /**
     * Passes tokens to {@code sink} on the calling thread until the stream completes.
     * Throws {@link ProviderException} when it fails or falls silent, and StepInterrupted when
     * the job is told to stop.
     */
    void deliver(TokenSink sink, RunControl control, Function<ProviderFailure, ProviderException> fail,
                 Function<Throwable, ProviderFailure> classify) throws InterruptedException {
        boolean first = true;
        Duration limit = timeouts.firstToken();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long wait = deadline - System.nanoTime();
            long heldDue = sink.heldTextDueInNanos();
            boolean flushFirst = heldDue >= 0 && heldDue < wait;
            Signal signal = signals.poll(Math.max(0, flushFirst ? heldDue : wait), TimeUnit.NANOSECONDS);
            control.check();
            if (signal == null && flushFirst) {
                // No token for a coalescing window: send what is held, keep waiting for the rest.
                sink.flushHeld();
                continue;
            }
            switch (signal) {
                case null -> throw fail.apply(new StreamBroken(first ? Why.NO_FIRST_TOKEN : Why.STALLED, limit));
                case Token t -> {
                    first = false;
                    limit = timeouts.gap();
                    deadline = System.nanoTime() + limit.toNanos();
                    if (!t.text().isEmpty()) {
                        sink.accept(t.text());
                    }
                }
                case Done d -> {
                    if (d.truncated()) {
                        throw fail.apply(new StreamBroken(Why.TRUNCATED, null));
                    }
                    reportUsage(d.usage(), sink);
                    return;
                }
                case Failed f -> throw fail.apply(classify.apply(f.error()));
                case BodyEnded e -> throw fail.apply(new StreamBroken(Why.TRUNCATED, null));
                case Stopped s -> throw fail.apply(new StreamBroken(Why.HUNG_UP, null));
            }
        }
    }
}
