package dev.contentgen.server.usage;

import dev.contentgen.api.StepUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Token use as Prometheus counters, by provider and model: {@code contentgen_llm_tokens_total{kind=input|output}}
 * and, for priced models, {@code contentgen_llm_cost_usd_total}. Counted by the node that ran the step.
 */
public final class UsageMeters {
    private final MeterRegistry registry;

    public UsageMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(StepUsage usage) {
        tokens(usage, "input").increment(usage.inputTokens());
        tokens(usage, "output").increment(usage.outputTokens());
        if (usage.costUsd() != null) {
            Counter.builder("contentgen.llm.cost.usd").description("what the tokens cost, by the price table")
                    .tag("provider", usage.provider()).tag("model", usage.model())
                    .register(registry).increment(usage.costUsd());
        }
    }

    private Counter tokens(StepUsage usage, String kind) {
        return Counter.builder("contentgen.llm.tokens").description("tokens used, as the provider reported them")
                .tag("provider", usage.provider()).tag("model", usage.model()).tag("kind", kind)
                .register(registry);
    }
}
