package dev.contentgen.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A completed job's summary in one line: "812 words, 2,104 input + 1,006 output tokens, $0.00312, 3.4 s". */
final class SummaryLine {
    private SummaryLine() {}

    static String of(Map<String, Object> summary) {
        List<String> parts = new ArrayList<>();
        if (summary.get("words") instanceof Number words) {
            parts.add(String.format(Locale.ROOT, "%,d words", words.longValue()));
        }
        if (summary.get("inputTokens") instanceof Number in && summary.get("outputTokens") instanceof Number out) {
            parts.add(String.format(Locale.ROOT, "%,d input + %,d output tokens", in.longValue(), out.longValue()));
        }
        if (summary.get("costUsd") instanceof Number cost) {
            parts.add(dollars(cost.doubleValue()));
        }
        if (summary.get("durationMs") instanceof Number ms) {
            parts.add(String.format(Locale.ROOT, "%.1f s", ms.longValue() / 1000.0));
        }
        return String.join(", ", parts);
    }

    /** Three significant digits: a cheap job's cost is a fraction of a cent, and "$0.00" would hide it. */
    static String dollars(double cost) {
        if (cost == 0) {
            return "$0";
        }
        return "$" + new BigDecimal(cost).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
