package dev.contentgen.server.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the offline generator follows a revision's instruction: "shorter" (or brief, concise) keeps
 * the first half of each prose paragraph's sentences, "more examples" adds a paragraph of examples.
 * Lists and headings keep their shape (an outline still has one line per section). Any other
 * instruction only reaches a real model's prompt; offline, the new take's different sentences are the change.
 */
final class OfflineRedo {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z\"“])");
    private static final Pattern LIST_OR_HEADING = Pattern.compile("^\\s*(#|[-*] |\\d+[.)/] |\\*\\*).*", Pattern.DOTALL);

    private OfflineRedo() {}

    static String apply(String text, String instruction, String topic) {
        if (instruction == null) {
            return text;
        }
        String asked = instruction.toLowerCase(Locale.ROOT);
        String out = text;
        if (asked.contains("short") || asked.contains("brief") || asked.contains("concise")) {
            out = shorter(out);
        }
        if (asked.contains("example")) {
            out = out.stripTrailing() + "\n\n" + examples(topic) + "\n";
        }
        return out;
    }

    private static String shorter(String text) {
        List<String> paragraphs = new ArrayList<>();
        for (String paragraph : text.strip().split("\n\n")) {
            if (LIST_OR_HEADING.matcher(paragraph).matches()) {
                paragraphs.add(paragraph);
                continue;
            }
            String[] sentences = SENTENCE_END.split(paragraph.strip());
            int keep = Math.max(1, (sentences.length + 1) / 2);
            paragraphs.add(String.join(" ", List.of(sentences).subList(0, keep)));
        }
        return String.join("\n\n", paragraphs) + "\n";
    }

    private static String examples(String topic) {
        return "For example: a team new to " + topic + " can start with one small change it can measure, "
                + "see after a month what it cost and what it saved, and only then widen it. Another team "
                + "might try the same change on one product first and compare it with the rest. A third can "
                + "write down what it expects before it starts, so the result has something to be held against.";
    }
}
