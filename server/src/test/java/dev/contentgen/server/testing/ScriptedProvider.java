package dev.contentgen.server.testing;

import dev.contentgen.server.pipeline.OfflineProvider;
import dev.contentgen.server.pipeline.Provider;
import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepPrompt;
import dev.contentgen.server.pipeline.TokenSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider for tests: the offline generator's text, with scripted trouble (a silent pause,
 * a failure, a gate the test opens, or extra text such as hostile HTML) at a chosen step or call.
 */
public final class ScriptedProvider implements Provider {
    private final Provider text = new OfflineProvider(0);
    private volatile String troubleAt;
    private volatile Duration silence = Duration.ZERO;
    private volatile String failure;
    private volatile CountDownLatch gate;
    private final CountDownLatch gateReached = new CountDownLatch(1);
    private volatile int tokensBeforeGate;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<Integer, CallGate> callGates = new ConcurrentHashMap<>();
    private volatile Duration perToken = Duration.ZERO;
    private volatile String appendAt;
    private volatile String appended = "";

    public ScriptedProvider silentBefore(String step, Duration silence) {
        this.troubleAt = step;
        this.silence = silence;
        return this;
    }

    public ScriptedProvider failAt(String step, String message) {
        this.troubleAt = step;
        this.failure = message;
        return this;
    }

    /** At {@code step}, emits {@code tokens} tokens and then waits until the returned latch opens. */
    public CountDownLatch gateAt(String step, int tokens) {
        this.troubleAt = step;
        this.tokensBeforeGate = tokens;
        this.gate = new CountDownLatch(1);
        return gate;
    }

    /**
     * The {@code call}-th call (1 for the first, counting every step of every run) emits {@code tokens}
     * tokens and then waits until the returned latch opens: e.g. a run that stalls while its job is re-claimed.
     */
    public CountDownLatch gateCall(int call, int tokens) {
        CallGate gate = new CallGate(tokens, new CountDownLatch(1), new CountDownLatch(1));
        callGates.put(call, gate);
        return gate.open();
    }

    /** Waits until the {@code call}-th call stopped at its gate; false if that took longer than {@code max}. */
    public boolean awaitCallGated(int call, Duration max) throws InterruptedException {
        return callGates.get(call).reached().await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private record CallGate(int tokens, CountDownLatch open, CountDownLatch reached) {}

    /** At {@code step}, writes {@code text} after the step's usual text (e.g. model output with HTML in it). */
    public ScriptedProvider appendAt(String step, String text) {
        this.appendAt = step;
        this.appended = text;
        return this;
    }

    /** Waits until the step has emitted its tokens and stopped at the gate; false if that took longer than {@code max}. */
    public boolean awaitGateReached(Duration max) throws InterruptedException {
        return gateReached.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public ScriptedProvider pace(Duration perToken) {
        this.perToken = perToken;
        return this;
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public void generate(StepPrompt prompt, TokenSink sink, RunControl control) throws InterruptedException {
        CallGate callGate = callGates.get(calls.incrementAndGet());
        boolean here = prompt.step().kind().equals(troubleAt);
        if (here && !silence.isZero()) {
            Thread.sleep(silence);
        }
        if (here && failure != null) {
            throw new IllegalStateException(failure);
        }
        CountDownLatch waitFor = here ? gate : null;
        AtomicInteger emitted = new AtomicInteger();
        InterruptedException[] interrupted = new InterruptedException[1];
        text.generate(prompt, new TokenSink() {
            @Override
            public void accept(String token) {
                int index = emitted.getAndIncrement();
                if (waitFor != null && index == tokensBeforeGate) {
                    gateReached.countDown();
                    awaitQuietly(waitFor, interrupted);
                }
                if (callGate != null && index == callGate.tokens()) {
                    callGate.reached().countDown();
                    awaitQuietly(callGate.open(), interrupted);
                }
                if (!perToken.isZero()) {
                    try {
                        Thread.sleep(perToken);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                sink.accept(token);
            }

            // The offline generator's own counts pass through, so usage shows as it would from a real provider.
            @Override
            public void usage(long inputTokens, long outputTokens) {
                sink.usage(inputTokens, outputTokens);
            }
        }, control);
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
        if (prompt.step().kind().equals(appendAt)) {
            sink.accept(appended);
        }
    }

    private static void awaitQuietly(CountDownLatch latch, InterruptedException[] interrupted) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            interrupted[0] = e;
            Thread.currentThread().interrupt();
        }
    }
}
