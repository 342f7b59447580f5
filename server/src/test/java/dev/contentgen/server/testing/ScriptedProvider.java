package dev.contentgen.server.testing;

import dev.contentgen.server.pipeline.OfflineProvider;
import dev.contentgen.server.pipeline.Provider;
import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepKind;
import dev.contentgen.server.pipeline.StepPrompt;
import dev.contentgen.server.pipeline.TokenSink;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider for tests: the offline generator's text, with scripted trouble (a silent pause,
 * a failure, or a gate the test opens) at a chosen step.
 */
public final class ScriptedProvider implements Provider {
    private final Provider text = new OfflineProvider(0);
    private volatile StepKind troubleAt;
    private volatile Duration silence = Duration.ZERO;
    private volatile String failure;
    private volatile CountDownLatch gate;
    private volatile int tokensBeforeGate;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Duration perToken = Duration.ZERO;

    public ScriptedProvider silentBefore(StepKind step, Duration silence) {
        this.troubleAt = step;
        this.silence = silence;
        return this;
    }

    public ScriptedProvider failAt(StepKind step, String message) {
        this.troubleAt = step;
        this.failure = message;
        return this;
    }

    /** At {@code step}, emits {@code tokens} tokens and then waits until the returned latch opens. */
    public CountDownLatch gateAt(StepKind step, int tokens) {
        this.troubleAt = step;
        this.tokensBeforeGate = tokens;
        this.gate = new CountDownLatch(1);
        return gate;
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
        calls.incrementAndGet();
        boolean here = prompt.step().kind() == troubleAt;
        if (here && !silence.isZero()) {
            Thread.sleep(silence);
        }
        if (here && failure != null) {
            throw new IllegalStateException(failure);
        }
        CountDownLatch waitFor = here ? gate : null;
        AtomicInteger emitted = new AtomicInteger();
        InterruptedException[] interrupted = new InterruptedException[1];
        text.generate(prompt, token -> {
            if (waitFor != null && emitted.getAndIncrement() == tokensBeforeGate) {
                try {
                    waitFor.await();
                } catch (InterruptedException e) {
                    interrupted[0] = e;
                    Thread.currentThread().interrupt();
                }
            }
            if (!perToken.isZero()) {
                try {
                    Thread.sleep(perToken);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sink.accept(token);
        }, control);
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
    }
}
