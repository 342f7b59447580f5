package dev.contentgen.api;

/**
 * Tokens summed over a job's steps (or an owner's jobs); {@code costUsd} sums the steps that had a
 * price and is null when none had one.
 */
public record UsageTotals(long inputTokens, long outputTokens, Double costUsd) {
    public static final UsageTotals NONE = new UsageTotals(0, 0, null);

    public UsageTotals plus(long input, long output, Double cost) {
        Double sum = costUsd == null ? cost : cost == null ? costUsd : Double.valueOf(costUsd + cost);
        return new UsageTotals(inputTokens + input, outputTokens + output, sum);
    }
}
