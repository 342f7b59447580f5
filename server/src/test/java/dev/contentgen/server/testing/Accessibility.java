package dev.contentgen.server.testing;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * axe-core's WCAG 2.1 A and AA rules run on a page as it is now; what counts as a failure is a
 * violation of serious or critical impact (the lesser ones are best practice or advice).
 */
public final class Accessibility {
    public static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");

    private Accessibility() {}

    /** The serious and critical violations on {@code page}, empty when it passes. */
    public static List<Rule> seriousViolations(Page page) {
        AxeResults results = new AxeBuilder(page).withTags(WCAG_21_AA).analyze();
        return results.getViolations().stream().filter(rule -> FAILING_IMPACTS.contains(rule.getImpact())).toList();
    }

    /** Fails listing every serious or critical violation: its rule, each element's selector, and what to fix. */
    public static void assertNoSeriousViolations(Page page, String state) {
        List<Rule> violations = seriousViolations(page);
        if (!violations.isEmpty()) {
            throw new AssertionError("axe-core (WCAG 2.1 AA) found " + violations.size() + " serious or critical rule(s) violated on "
                    + state + ":\n" + violations.stream().map(Accessibility::describe).collect(Collectors.joining("\n")));
        }
    }

    /**
     * Fails when a heading is more than one level deeper than the one before it (axe's heading-order:
     * a best-practice rule, so not among the WCAG tags, but a screen reader's outline breaks there).
     */
    public static void assertHeadingsNeverSkip(Page page, String state) {
        List<Rule> violations = new AxeBuilder(page).withRules(List.of("heading-order")).analyze().getViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("heading levels skip on " + state + ":\n"
                    + violations.stream().map(Accessibility::describe).collect(Collectors.joining("\n")));
        }
    }

    private static String describe(Rule rule) {
        return "- " + rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + "\n"
                + rule.getNodes().stream().map(Accessibility::describe).collect(Collectors.joining("\n"));
    }

    private static String describe(CheckedNode node) {
        return "    " + node.getTarget() + ": " + String.valueOf(node.getFailureSummary()).replace("\n", " ");
    }
}
