package dev.contentgen.server.pipeline;

import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The offline generator's shorter pieces beyond articles and threads: an SEO pack, a LinkedIn post,
 * a product tagline and feature list, emails and a newsletter's opening and closing.
 */
final class OfflinePieces {
    static final int TITLE_TAG_MAX = 60;
    static final int META_DESCRIPTION_MAX = 160;
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "and", "or", "of", "for", "to", "in", "on",
            "with", "why", "how", "what", "when", "is", "are", "do", "does", "your", "you", "it", "its", "at", "by", "from");

    private final String topic;
    private final OfflineProse prose;
    private final List<FinishedArtifact> earlier;

    OfflinePieces(String topic, OfflineProse prose, List<FinishedArtifact> earlier) {
        this.topic = topic.strip().replaceAll("\\s+", " ");
        this.prose = prose;
        this.earlier = earlier;
    }

    String seoPack() {
        String title = heading().orElse(topic);
        List<String> keywords = keywords();
        String meta = "A practical guide to " + topic + ": " + String.join(", ", prose.sectionTitles()).toLowerCase(Locale.ROOT) + ".";
        StringBuilder out = new StringBuilder();
        out.append("**Title tag:** ").append(cut(title, TITLE_TAG_MAX)).append("\n\n");
        out.append("**Meta description:** ").append(cut(meta, META_DESCRIPTION_MAX)).append("\n\n");
        out.append("**Slug:** ").append(slug(topic)).append("\n\n");
        out.append("**Keywords:** ").append(String.join(", ", keywords)).append("\n\n");
        out.append("### FAQ\n\n");
        List<String> titles = prose.sectionTitles();
        out.append("**Q: What does this post cover?**\nA: ").append(titles.size()).append(" parts: ")
                .append(String.join("; ", titles)).append(".\n\n");
        out.append("**Q: Who is it for?**\nA: Anyone who works with ").append(keywords.getFirst())
                .append(" and wants a clear, practical starting point.\n\n");
        out.append("**Q: Where should I start?**\nA: With \"").append(titles.getFirst())
                .append("\": it sets up everything the later parts build on.");
        return out.toString();
    }

    String linkedInPost() {
        List<String> posts = prose.threadPosts(5);
        // A thread's hook may end with a thread emoji; a single post has none to announce.
        StringBuilder out = new StringBuilder(prose.threadHook().replace(" 🧵", "").strip()).append("\n\n");
        for (String post : posts.subList(1, posts.size() - 1)) {
            out.append("→ ").append(post.replaceFirst("^\\d+/\\s*", "")).append("\n\n");
        }
        out.append("What has your experience with ").append(topic).append(" been? I'd like to hear it in the comments.\n\n");
        List<String> tags = keywords().stream().filter(k -> !k.contains(" ")).limit(3)
                .map(k -> "#" + k.replaceAll("[^\\p{L}\\p{N}]", "")).filter(t -> t.length() > 1).toList();
        out.append(tags.isEmpty() ? "#ideas" : String.join(" ", tags));
        return out.toString();
    }

    String tagline() {
        String summary = prose.titleAndSummary();
        return summary.lines().findFirst().orElse("# " + topic) + "\n\n"
                + "Everything you need for " + topic + ", in one place and ready when you are.";
    }

    String features() {
        List<String> lines = new ArrayList<>();
        for (String line : prose.outline().split("\n")) {
            lines.add(line.replaceFirst("^\\d+\\.\\s+", "- "));
        }
        return String.join("\n", lines);
    }

    String email(int number, int of, String title, String body) {
        String greeting = number <= 1 ? "Hi there," : "Hi again,";
        String next = number < of ? "In the next email: more on " + topic + "."
                : "That was the last email of this series: thank you for reading along.";
        return "**Subject:** " + title + "\n\n" + greeting + "\n\n" + body.strip() + "\n\n" + next + "\n\nBest,\nThe team";
    }

    String intro() {
        String summary = prose.titleAndSummary();
        String paragraph = summary.substring(summary.indexOf("\n\n") + 2).strip();
        return "Hello, and welcome to this issue. This time it is all about " + topic + ".\n\n" + paragraph;
    }

    String signOff() {
        return "That's all for this issue. If something here helped you with " + topic
                + ", forward it to a colleague, and reply to tell us what you would like to read next.\n\nUntil next time!";
    }

    private java.util.Optional<String> heading() {
        return earlier.stream().filter(a -> a.kind().equals("summary")).findFirst()
                .flatMap(a -> a.content().lines().filter(l -> l.startsWith("# ")).findFirst()).map(l -> l.substring(2).strip());
    }

    private List<String> keywords() {
        Set<String> words = new LinkedHashSet<>();
        String phrase = topic.toLowerCase(Locale.ROOT).replaceAll("[?!.:;,\"“”]", "").strip();
        for (String word : phrase.split("\\s+")) {
            if (word.length() > 2 && !STOP_WORDS.contains(word)) {
                words.add(word);
            }
        }
        List<String> out = new ArrayList<>();
        if (phrase.length() <= 40 && phrase.contains(" ")) {
            out.add(phrase);
        }
        words.stream().limit(5).forEach(out::add);
        return out.isEmpty() ? List.of(phrase.isEmpty() ? "guide" : phrase) : out;
    }

    /** At most {@code max} characters, cut at a word boundary. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int space = text.lastIndexOf(' ', max - 1);
        String cut = (space > max / 2 ? text.substring(0, space) : text.substring(0, max - 1)).replaceAll("[\\s,;:—-]+$", "");
        return cut + "…";
    }

    /** Lowercase ASCII words joined by hyphens, at most 60 characters. */
    static String slug(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String slug = ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, slug.lastIndexOf('-', 60) > 20 ? slug.lastIndexOf('-', 60) : 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "post" : slug;
    }
}
