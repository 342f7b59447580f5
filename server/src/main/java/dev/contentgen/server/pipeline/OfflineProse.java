package dev.contentgen.server.pipeline;

import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Deterministic, topic-specific prose for the offline generator. */
final class OfflineProse {

    private static final int MAX_POST = 280;
    private static final char MARK = '\u0002'; // brackets each inserted topic while a section is assembled
    private static final long PLAN = 1, TITLES = 2, OUTLINE = 3, SUMMARY = 4, HOOK = 5, THREAD = 6, SECTION = 7;
    private static final Pattern ALTERNATIVE = Pattern.compile("\\[([^\\[\\]]*)]");
    private static final Pattern SLOT = Pattern.compile("\\{(\\w+)}");
    // "a" before a vowel sound, except words that start with a "y"/"w" sound.
    private static final Pattern A_BEFORE_VOWEL = Pattern.compile("\\b([Aa]) (?=(?!use|usu|uni|one|eu)[aeiouAEIOU])");
    private static final Set<String> WH_WORDS = Set.of("why", "how", "what", "when", "where", "who", "which", "whether");
    private static final Set<String> AUXILIARIES = Set.of("is", "are", "was", "were", "do", "does", "did", "can", "could",
            "should", "would", "will", "shall", "may", "might", "must", "has", "have", "had");
    // Sentences starting with these words can take a tone opener ("Honestly, the ...") without breaking casing.
    private static final Set<String> OPENABLE = Set.of("the", "a", "most", "many", "every", "you", "small", "good", "it's",
            "there's", "none", "when", "once", "some", "it", "there", "this", "that", "keeping", "being", "asking");
    private static final List<Contraction> CONTRACTIONS = Contraction.all("don't=do not", "doesn't=does not", "isn't=is not",
            "aren't=are not", "can't=cannot", "won't=will not", "it's=it is", "that's=that is", "there's=there is",
            "here's=here is", "what's=what is", "you'll=you will", "you're=you are", "you've=you have",
            "they're=they are", "we'll=we will", "didn't=did not", "wasn't=was not", "you'd=you would",
            "let's=let us", "i'd=I would", "i've=I have", "shouldn't=should not");

    private final Subject subject;
    private final Tone tone;
    private final Length length;
    private final long seed;
    private final int variant;
    private final List<Angle> plan;
    private final int leadOffset;

    OfflineProse(String topic, Tone tone, Length length) {
        this(topic, tone, length, 0);
    }

    /**
     * Another take on the same text: {@code variant} 0 is the original; a revision's step passes its
     * revision number, so its sentences differ while the plan (each section's angle) stays.
     */
    OfflineProse(String topic, Tone tone, Length length, int variant) {
        this.variant = variant;
        this.subject = Subject.of(topic);
        this.tone = tone;
        this.length = length;
        this.seed = mix(fnv1a(subject.raw() + '\u0001' + tone.name() + '\u0001' + length.name()));
        Random r = random(PLAN, 0);
        this.plan = plan(length.sections(), r);
        this.leadOffset = r.nextInt(1000);
    }

    List<String> sectionTitles() {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < length.sections(); i++) {
            titles.add(titleOf(i));
        }
        return List.copyOf(titles);
    }

    String outline() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < length.sections(); i++) {
            Random r = random(OUTLINE, i);
            String about = render(pick(angleAt(i).outline, r), r);
            lines.add("%d. **%s** — %s".formatted(i + 1, titleOf(i), about));
        }
        return String.join("\n", lines);
    }

    String section(int index, String title) {
        if (index < 0) {
            throw new IllegalArgumentException("section index must be >= 0: " + index);
        }
        Random r = random(SECTION, index);
        String heading = cleanHeading(title, index);
        return paragraphs(composeSentences(index, heading, r), r);
    }

    String titleAndSummary() {
        Random r = random(SUMMARY, 0);
        String title = subject.question() ? questionTitle(pick(Tones.questionTitles(tone), r))
                : render(pick(Tones.titles(tone), r), r);
        List<String> covered = plan.stream().map(a -> a.phrase).toList();
        String summary = String.join(" ",
                render(pick(Tones.summaryIntros(tone), r), r),
                render(pick(Tones.coverageFrames(tone), r).replace("%s", joinWithAnd(covered)), r),
                render(pick(Tones.summaryClosers(tone), r), r));
        return "# " + title + "\n\n" + summary;
    }

    private String questionTitle(String tagline) {
        return subject.raw().endsWith("?") ? subject.raw() + " " + capitalize(tagline) : subject.core() + ": " + tagline;
    }

    String threadHook() {
        Random r = random(HOOK, 0);
        return fit(render(pick(Tones.hooks(tone), r), r));
    }

    List<String> threadPosts(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        Random r = random(THREAD, count);
        List<String> bodies = new ArrayList<>();
        if (count > 0) {
            bodies.add(render(pick(Tones.threadIntros(tone), r), r));
        }
        List<Angle> order = threadAngles();
        for (int i = 0; i < count - 2; i++) {
            Angle angle = order.get(i % order.size());
            // Each angle starts at a seeded line and moves to its next one on later laps, so posts stay distinct.
            int first = (int) Math.floorMod(mix(seed + angle.ordinal()), (long) angle.tweets.size());
            int variant = (first + i / order.size()) % angle.tweets.size();
            bodies.add(render(angle.tweets.get(variant), r));
        }
        if (count > 1) {
            bodies.add(render(pick(Tones.threadClosers(tone), r), r));
        }
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            posts.add(fit((i + 1) + "/ " + bodies.get(i)));
        }
        return List.copyOf(posts);
    }

    // ---- sections ----------------------------------------------------------------------------

    private List<String> composeSentences(int index, String heading, Random r) {
        Angle angle = angleAt(index);
        int target = length.wordsPerSection();
        List<Candidate> body = new ArrayList<>();
        for (String template : angle.sentences) {
            boolean anchor = template.startsWith("!");
            body.add(new Candidate(renderMarked(anchor ? template.substring(1) : template, r), anchor));
        }
        String lead = renderLead(index, heading, r);
        int words = wordCount(lead);
        boolean[] chosen = new boolean[body.size()];
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).anchor()) {
                chosen[i] = true;
                words += body.get(i).words();
            }
        }
        int max = target + target / 9;
        for (int i : shuffledIndexes(body.size(), r)) {
            if (words >= target - target / 25) {
                break;
            }
            if (!chosen[i] && words + body.get(i).words() <= max) {
                chosen[i] = true;
                words += body.get(i).words();
            }
        }
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            if (chosen[i]) {
                sentences.add(body.get(i).text());
            }
        }
        addFillers(sentences, index, words, target, max, angle.narrative, r);
        numberSteps(sentences);
        capTopicMentions(sentences, r);
        // The lead opens the section, or follows its first sentence; narratives must open with their setup.
        sentences.add(!angle.narrative && r.nextInt(3) == 0 && sentences.size() > 2 ? 1 : 0, lead);
        return sentences;
    }

    // Shared and tone sentences top up short sections; each index owns a disjoint slice so no article repeats one.
    private void addFillers(List<String> sentences, int index, int words, int target, int max, boolean narrative, Random r) {
        List<String> pool = new ArrayList<>(Bank.FILLERS);
        pool.addAll(Tones.asides(tone));
        int slices = Math.max(length.sections(), 1);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            if (i % slices == index % slices) {
                mine.add(pool.get(i));
            }
        }
        boolean flourish = r.nextInt(2) == 0; // one filler now and then even when the angle alone suffices
        for (int i : shuffledIndexes(mine.size(), r)) {
            String text = renderMarked(mine.get(i), r);
            int w = wordCount(text);
            boolean wanted = words < target - target / 10 || flourish;
            if (!wanted || words + w > max) {
                continue;
            }
            flourish = false;
            int at = narrative ? sentences.size() : 1 + r.nextInt(Math.max(sentences.size(), 1));
            sentences.add(Math.min(at, sentences.size()), text);
            words += w;
        }
    }

    private String renderLead(int index, String heading, Random r) {
        List<String> leads = new ArrayList<>(Bank.LEADS);
        leads.addAll(Tones.leads(tone));
        String template = leads.get(Math.floorMod(leadOffset + index, leads.size()));
        if (heading.toLowerCase(Locale.ROOT).contains(subject.core().toLowerCase(Locale.ROOT))) {
            template = template.replace("{T}", "{this}"); // the heading already names the topic
        }
        return render(template, r).replace("{title}", "“" + heading + "”");
    }

    private static void numberSteps(List<String> sentences) {
        int n = 0;
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i).contains("{ord}")) {
                sentences.set(i, sentences.get(i).replace("{ord}", Bank.ORDINALS.get(Math.min(n++, Bank.ORDINALS.size() - 1))));
            }
        }
    }

    // Naming the topic in every sentence reads robotic: after a few mentions, refer back to it instead.
    private void capTopicMentions(List<String> sentences, Random r) {
        int mentions = 0;
        int allowed = (subject.question() ? 1 : 2) + (length.wordsPerSection() >= 150 ? 1 : 0);
        String marked = MARK + subject.np() + MARK;
        List<String> refs = subject.backRefs();
        int next = r.nextInt(refs.size()); // rotate so one back-reference doesn't repeat
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i);
            if (s.contains(marked) && ++mentions > allowed) {
                s = s.replace(marked, refs.get(next++ % refs.size()));
            }
            sentences.set(i, s.replace(String.valueOf(MARK), ""));
        }
    }

    private String paragraphs(List<String> sentences, Random r) {
        int total = sentences.stream().mapToInt(OfflineProse::wordCount).sum();
        int wanted = length.wordsPerSection() >= 150 ? 3 : 2;
        int count = Math.max(1, Math.min(wanted, sentences.size() / 2));
        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int seen = 0;
        for (int i = 0; i < sentences.size(); i++) {
            current.add(sentences.get(i));
            seen += wordCount(sentences.get(i));
            int left = sentences.size() - i - 1;
            int groupsLeft = count - groups.size() - 1;
            boolean full = seen >= (long) total * (groups.size() + 1) / count;
            if (groupsLeft > 0 && current.size() >= 2 && left >= 2 * groupsLeft && (full || left == 2 * groupsLeft)) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        List<String> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<String> group = groups.get(g);
            if (g > 0 && r.nextInt(5) < 2) {
                group.set(0, withOpener(group.get(0), r));
            }
            out.add(String.join(" ", group));
        }
        return String.join("\n\n", out);
    }

    private String withOpener(String sentence, Random r) {
        String first = sentence.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        if (!OPENABLE.contains(first) || sentence.startsWith("I ")) {
            return sentence;
        }
        return pick(Tones.openers(tone), r) + Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }

    // ---- titles and plan ---------------------------------------------------------------------

    private String titleOf(int index) {
        Angle angle = angleAt(index);
        Random r = random(TITLES, index);
        String title = subject.question()
                ? questionTitle(angle.label.toLowerCase(Locale.ROOT))
                : render(pick(angle.titles, r), r);
        return index < plan.size() ? title : title + " (part " + (index / plan.size() + 1) + ")";
    }

    private String cleanHeading(String title, int index) {
        String heading = title == null ? "" : title.strip()
                .replaceFirst("^#+\\s*", "").replaceFirst("^\\d+[.)]\\s*", "").replace("**", "").strip();
        return heading.isEmpty() ? titleOf(index) : heading;
    }

    private Angle angleAt(int index) {
        return plan.get(index % plan.size());
    }

    private static List<Angle> plan(int n, Random r) {
        List<Angle> openers = shuffled(Angle.OPENERS, r);
        List<Angle> middles = shuffled(Angle.MIDDLES, r);
        List<Angle> closers = shuffled(Angle.CLOSERS, r);
        int o = n >= 5 ? 1 + r.nextInt(2) : 1;
        int c = n >= 5 ? 1 + r.nextInt(2) : n >= 2 ? 1 : 0;
        List<Angle> chosen = new ArrayList<>(openers.subList(0, Math.min(o, n)));
        chosen.addAll(closers.subList(0, Math.min(c, closers.size())));
        chosen.addAll(middles.subList(0, Math.max(0, Math.min(middles.size(), n - chosen.size()))));
        for (Angle a : Angle.values()) { // only when n exceeds what the phases offer
            if (chosen.size() < n && !chosen.contains(a)) {
                chosen.add(a);
            }
        }
        chosen.sort(Comparator.naturalOrder());
        return List.copyOf(chosen);
    }

    private List<Angle> threadAngles() {
        List<Angle> order = new ArrayList<>(plan);
        for (Angle a : Angle.values()) {
            if (!order.contains(a)) {
                order.add(a);
            }
        }
        return order;
    }

    // ---- rendering ---------------------------------------------------------------------------

    private String render(String template, Random r) {
        return renderMarked(template, r).replace(String.valueOf(MARK), "");
    }

    private String renderMarked(String template, Random r) {
        String text = replaceAll(ALTERNATIVE, template, m -> pick(List.of(m.group(1).split("\\|", -1)), r));
        if (tone == Tone.PROFESSIONAL) {
            text = expandContractions(text);
        }
        text = replaceAll(SLOT, text, m -> slot(m.group(1), r));
        text = replaceAll(A_BEFORE_VOWEL, text, m -> m.group(1) + "n ");
        // The topic goes in last, so the "a"/"an" fix never edits the user's own words.
        return text.replace("{T}", MARK + subject.np() + MARK).replace("{Tc}", subject.capitalized());
    }

    private String slot(String name, Random r) {
        return switch (name) {
            case "T", "Tc", "ord", "title" -> "{" + name + "}"; // filled in later
            case "this" -> pick(subject.backRefs(), r);
            case "This" -> capitalize(pick(subject.backRefs(), r));
            default -> Character.isUpperCase(name.charAt(0))
                    ? capitalize(pick(Tones.vocabulary(tone, name.toLowerCase(Locale.ROOT)), r))
                    : pick(Tones.vocabulary(tone, name), r);
        };
    }

    private static String expandContractions(String text) {
        String out = text;
        for (Contraction c : CONTRACTIONS) {
            out = replaceAll(c.pattern(), out,
                    m -> Character.isUpperCase(m.group().charAt(0)) ? capitalize(c.expansion()) : c.expansion());
        }
        return out;
    }

    /** A contraction the professional tone spells out, e.g. "don't" as "do not". */
    private record Contraction(Pattern pattern, String expansion) {
        static List<Contraction> all(String... pairs) {
            return Arrays.stream(pairs).map(pair -> pair.split("="))
                    .map(p -> new Contraction(Pattern.compile("\\b(?i:" + Pattern.quote(p[0]) + ")\\b"), p[1]))
                    .toList();
        }
    }

    private static String replaceAll(Pattern pattern, String text, Function<Matcher, String> f) {
        Matcher m = pattern.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String fit(String post) {
        if (post.length() <= MAX_POST) {
            return post;
        }
        int cut = post.lastIndexOf(' ', MAX_POST - 1);
        return post.substring(0, cut > MAX_POST / 2 ? cut : MAX_POST - 1).stripTrailing() + "…";
    }

    private static String joinWithAnd(List<String> items) {
        if (items.size() <= 2) {
            return String.join(" and ", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + ", and " + items.getLast();
    }

    /** The whitespace-separated tokens of {@code text} with a letter or digit in them (a scan: it runs for every sentence). */
    static int wordCount(String text) {
        int n = 0;
        boolean counted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                counted = false;
            } else if (!counted && Character.isLetterOrDigit(c)) {
                counted = true;
                n++;
            }
        }
        return n;
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---- randomness --------------------------------------------------------------------------

    private Random random(long salt, int index) {
        long take = salt == PLAN || variant == 0 ? 0 : mix(0xC2B2AE3D27D4EB4FL * variant);
        return new Random(mix(seed ^ take ^ mix(salt * 0x9E3779B97F4A7C15L + index)));
    }

    private static <T> T pick(List<T> items, Random r) {
        return items.get(r.nextInt(items.size()));
    }

    private static <T> List<T> shuffled(List<T> items, Random r) {
        List<T> out = new ArrayList<>(items);
        for (int i = out.size() - 1; i > 0; i--) { // explicit Fisher-Yates: stable across JDK versions
            int j = r.nextInt(i + 1);
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    private static List<Integer> shuffledIndexes(int n, Random r) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indexes.add(i);
        }
        return shuffled(indexes, r);
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long z) { // SplitMix64 finalizer
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private record Candidate(String text, boolean anchor, int words) {
        Candidate(String text, boolean anchor) {
            this(text, anchor, wordCount(text));
        }
    }

    // ---- the topic ---------------------------------------------------------------------------

    /**
     * How the topic reads inside prose. A noun phrase is used as is; a question or clause
     * ("Why SSE streams die") is quoted, so it reads as the name of the topic in any frame.
     */
    private record Subject(String raw, String core, String np, String capitalized, boolean question,
                           List<String> backRefs) {

        static Subject of(String topic) {
            String raw = topic == null ? "" : topic.strip().replaceAll("\\s+", " ");
            String core = raw.replaceAll("[.!?:;,\\s]+$", "");
            if (core.isEmpty()) {
                return new Subject(raw, "this topic", "this topic", "This topic", false, List.of("the subject", "this area"));
            }
            String[] words = core.split(" ");
            String first = words[0].toLowerCase(Locale.ROOT);
            boolean wh = WH_WORDS.contains(first) && words.length > 1;
            boolean aux = AUXILIARIES.contains(first) && words.length > 1;
            if (wh || aux || raw.endsWith("?")) {
                return question(raw, core);
            }
            String np = dropArticleCase(core, words);
            return new Subject(raw, core, np, capitalizeTopic(np), false,
                    List.of("this topic", "the subject", "this area"));
        }

        private static Subject question(String raw, String core) {
            String np = "“" + (raw.endsWith("?") ? raw : core) + "”";
            return new Subject(raw, core, np, np, true, List.of("this question", "this topic", "the subject"));
        }

        // "The future of remote work" reads better as "the future of remote work" mid-sentence.
        private static String dropArticleCase(String core, String[] words) {
            boolean article = Set.of("The", "A", "An").contains(words[0]);
            boolean secondLower = words.length > 1 && !words[1].isEmpty() && Character.isLowerCase(words[1].charAt(0));
            return article && secondLower ? Character.toLowerCase(core.charAt(0)) + core.substring(1) : core;
        }

        // Capitalize only plain lowercase first words: "iPhone" or "eBPF" keep their casing.
        private static String capitalizeTopic(String np) {
            String first = np.split(" ")[0];
            boolean plain = first.chars().allMatch(ch -> Character.isLowerCase(ch) || ch == '-' || ch == '\'');
            return plain ? capitalize(np) : np;
        }
    }

    // ---- the angles --------------------------------------------------------------------------

    /**
     * The section angles, in the order an article presents them. Sentences are listed in a sensible
     * reading order and each section keeps a subset in that order; "!" marks a sentence always kept.
     */
    private enum Angle {
        WHY("Why it matters", "why it matters", false,
                List.of("The case for taking {T} seriously", "What is at stake with {T}", "Why it pays to understand {T}"),
                List.of("Why {T} deserves attention, and what neglecting it quietly costs.",
                        "The stakes of {T}, and why small choices compound over time."),
                List.of("Why it matters: small choices about {T} compound. A 5% improvement every week makes for a very different year.",
                        "Most people only start caring about {T} after something breaks. That's the most expensive time to learn."),
                List.of("!It's tempting to treat {T} as a side issue, but {this} quietly shapes a surprising number of everyday decisions.",
                        "Good work on {T} tends to go unnoticed, while neglect shows up [in places nobody expected|everywhere at once].",
                        "The stakes are rarely dramatic on any single day, but small choices about {T} compound over [months|a year|a few quarters].",
                        "A [five|ten] percent improvement, repeated every week, adds up to something {big} by the end of the year.",
                        "There's also a confidence effect, because {people} who understand {this} make decisions faster and second-guess themselves less.",
                        "Ignoring {T} doesn't make the underlying problems go away; it just means they arrive [later and louder|at the worst possible moment].",
                        "Many {people} only start caring about {T} after something goes wrong, which is the most expensive time to learn.",
                        "Learning the basics ahead of time costs [a few evenings|a couple of weekends|a few hours a week], while learning them in a crisis can cost far more.",
                        "Once the fundamentals of {T} are in place, [other improvements|the next steps] get noticeably easier.",
                        "None of this requires becoming an expert overnight, only a willingness to look at {this} [with fresh eyes|more deliberately than before].",
                        "Put differently, the question is not whether {T} affects you, but how much and how soon.",
                        "The real cost of neglect is rarely one big failure; it's the slow drag of many small ones.")),
        CORE("The core idea", "the core ideas", false,
                List.of("The core idea behind {T}", "The essentials of {T}", "The one idea at the heart of {T}"),
                List.of("The few principles that everything else about {T} builds on.",
                        "A simple mental model for thinking clearly about {T}."),
                List.of("The core idea: decide what you want, try something small, look honestly at the result. Repeat. Most of {T} is that loop.",
                        "Learn the reasons behind the rules of {T}. Once you know why a guideline exists, you know when to break it."),
                List.of("!At the heart of {T} sits a simple loop: decide what you want, try something small, and look honestly at the result.",
                        "Most of the jargon around {T} is just a way of describing that loop in more specific terms.",
                        "A {useful} mental model is to separate the parts you control from the parts you can only observe.",
                        "The parts you control are usually fewer than they first appear, which is good news, because it keeps the work focused.",
                        "Context matters as well: what works at a large scale may be overkill at a small one, and the reverse is just as true.",
                        "Experienced practitioners of {T} tend to care less about rules than about the reasons behind them.",
                        "Once you know why a guideline exists, you can tell when it applies and when it can safely be set aside.",
                        "Feedback is the other pillar: the faster you can see the effect of a change, the faster you learn.",
                        "Slow feedback is one of the quiet reasons progress with {T} can feel harder than it should.",
                        "Simplicity beats cleverness, since a plain approach you understand will usually outlast an elegant one you don't.",
                        "Everything else in this article builds on these few ideas, so they're worth keeping close at hand.",
                        "If you remember only one thing, make it this: progress with {T} comes from steady attention more than [heroic effort|occasional bursts of energy].")),
        PRACTICE("In practice", "what it looks like in practice", false,
                List.of("{Tc} in practice", "Putting {T} into practice", "{Tc} in an ordinary week"),
                List.of("What the day-to-day routine of {T} actually looks like.",
                        "The small, repeatable habits that make {T} work."),
                List.of("In practice it's a weekly habit: a short review, one or two deliberate changes, and a check on whether they helped.",
                        "Write down what you expect before you change anything. It's the fastest way to find where your model of {T} is off."),
                List.of("!In practice, the work of {T} is less a grand plan than a series of small, repeatable habits.",
                        "A typical week might include a short review of what happened, one or two deliberate changes, and a check on whether those changes helped.",
                        "A weekly review doesn't need to be formal; [ten|fifteen|twenty] minutes with a notebook or a shared document is usually enough.",
                        "What matters in any review is that the same questions get asked every time, so that patterns become visible.",
                        "Changes work best when they're small enough to undo, because that keeps the cost of being wrong low.",
                        "Many {people} find it {useful} to write down what they expect to happen before making a change.",
                        "Writing predictions down sounds fussy, but it's the fastest way to discover where your understanding of {T} is off.",
                        "Over time the routine gets lighter, and the attention it frees up can go to the parts of {T} that {really} need judgment.",
                        "It also pays to keep a short log of decisions and the reasons behind them, since memory is [surprisingly unreliable|a poor archive].",
                        "When something surprising happens, treat it as information rather than as a failure.",
                        "The result is a practice that improves a little every cycle without ever feeling like a big project.",
                        "None of this is glamorous, yet it's exactly how steady progress with {T} [tends to happen|gets made].")),
        TOOLS("Tools and techniques", "the tools worth knowing", false,
                List.of("Tools and techniques for {T}", "A practical toolkit for {T}", "The techniques that make {T} easier"),
                List.of("The tools and techniques that earn their place in {T}.",
                        "A small, practical toolkit for {T}, and how to keep it lean."),
                List.of("Tools help with {T}, but keep the kit small. A checklist and a shared notes doc beat an expensive platform nobody opens.",
                        "Underrated tool: the humble checklist. It turns hard-won lessons into steps anyone can follow."),
                List.of("!The right tools make {T} easier, though no tool removes the need for judgment.",
                        "A good starting point is something simple for capturing notes and observations, whether that's a notebook, a spreadsheet, or a shared document.",
                        "Checklists are underrated: they turn hard-won lessons into steps that anyone can follow.",
                        "Templates help in a similar way, by making the routine parts of {T} fast and consistent.",
                        "For anything you repeat more than a few times, it's worth asking whether a simple routine or a bit of automation could handle it.",
                        "Specialized tools earn their place once the basics are in hand and their cost is clearly lower than the time they save.",
                        "Be wary of any product that promises to handle every part of {T}; most solve one narrow problem well and the rest poorly.",
                        "Techniques matter as much as tools, and breaking work into small steps, reviewing regularly, and comparing before-and-after results all travel well.",
                        "Peer review pays off too, because a second pair of eyes catches assumptions you can no longer see yourself.",
                        "Whatever you choose, keep the toolkit small enough that you actually use every part of it.",
                        "A tool that sits unused is worse than none at all, since it adds clutter without adding value.",
                        "Revisit the toolkit [every few months|once or twice a year] and drop anything that no longer pulls its weight.")),
        EXAMPLE("A worked example", "a worked example", true,
                List.of("A worked example of {T}", "{Tc}: a worked example", "Walking through {T} step by step"),
                List.of("A step-by-step walkthrough of {T} in a realistic setting.",
                        "One small team's [six|eight]-week effort, from a first modest goal to a lasting habit."),
                List.of("Example: a small team gives {T} six weeks, one modest goal at a time. Result: about 20% better, plus a habit that sticks.",
                        "The most useful part of any worked example is the mid-project dip. Enthusiasm fades; the weekly review keeps things moving."),
                List.of("!To make this concrete, picture a small team that decides to get serious about {T} over [six|eight] weeks.",
                        "They start by writing down where things stand today, including the problems they already know about.",
                        "In the first week, they pick a single, modest goal instead of a long wish list. The goal is specific enough that everyone can tell whether it was met, which makes the later review far easier.",
                        "By week two, they notice that one of their assumptions about {T} was simply wrong. Rather than pushing ahead, they adjust the plan and try a smaller change.",
                        "When a change finally works, the team records exactly what they did so it can be repeated.",
                        "Around the midpoint enthusiasm dips, as it almost always does, and the weekly review is what keeps things moving.",
                        "By the end, the improvement is real but unspectacular, perhaps [fifteen|twenty] percent on the measure they chose.",
                        "More valuable than the number is the habit, because the team now has a routine for [approaching|handling] {T} that will keep paying off.",
                        "The example is ordinary on purpose, since ordinary is what most real progress looks like.")),
        MISTAKES("Common mistakes", "the most common mistakes", false,
                List.of("Common mistakes with {T}", "Where people go wrong with {T}", "Pitfalls to avoid in {T}"),
                List.of("The errors that trip up most {people}, and how to avoid them.",
                        "Common traps in {T}, and the early warning signs of each."),
                List.of("Biggest mistake with {T}: changing everything at once. If five things change, you can't tell which one helped.",
                        "Second most common mistake: copying someone else's approach without knowing the conditions it was built for."),
                List.of("!The most common mistake with {T} is trying to change everything at once.",
                        "When several things change together, it becomes impossible to tell which one made the difference.",
                        "A close second is copying someone else's approach without understanding the conditions it was designed for.",
                        "What works brilliantly in one setting can fail [quietly|badly] in another, and the reasons are rarely obvious from the outside.",
                        "Another trap is measuring what's easy instead of what matters, which produces [impressive charts|reassuring numbers] and little real progress.",
                        "{People} also tend to underestimate maintenance: the initial push on {T} gets attention, while the ongoing care quietly [lapses|slips].",
                        "Overconfidence is a subtler problem, because early wins can make it feel as if the hard part is over.",
                        "In reality, the second and third rounds of work on {T} are where the {tricky} issues tend to surface.",
                        "Skipping the basics in favor of advanced techniques is another classic error, and it usually has to be undone later.",
                        "Many {people} also give up too early, just before the effort would have started to pay off.",
                        "The good news is that every one of these mistakes is easy to spot once you know to look for it. A short, honest review every [few weeks|month] catches most of them before they get expensive.")),
        MEASURE("Measuring success", "how to measure progress", false,
                List.of("Measuring progress in {T}", "How to tell if your work on {T} is paying off", "Measuring success with {T}"),
                List.of("How to tell whether your efforts on {T} are paying off.",
                        "Choosing measures for {T} that reflect outcomes rather than activity."),
                List.of("Measure outcomes, not activity. Record a baseline before you start, and judge {T} by trends over weeks, not single days.",
                        "When a measure becomes a target, people optimize the number instead of the goal. Review your measures, not just your results."),
                List.of("!You can't improve what you can't see, so measuring progress on {T} deserves some thought.",
                        "Start with one or two measures that reflect the outcome you care about, not just the activity you're doing. Counting hours spent is easy, for instance, but it says little about whether anything actually improved.",
                        "A good measure is one you can check regularly without much effort, otherwise it quietly stops being checked.",
                        "It helps to record a baseline before making changes, so there's something honest to compare against.",
                        "Expect noise: a single good or bad week rarely means much, while a trend over [a month|several weeks] usually does.",
                        "Pair every number with a short note about what was happening at the time, because context explains most surprises.",
                        "Qualitative signals count too, such as fewer complaints, smoother handoffs, or simply less stress around {T}.",
                        "Be careful when a measure becomes a target, since people naturally optimize for the number rather than the goal.",
                        "Review the measures themselves [every quarter|from time to time] and retire the ones that no longer tell you anything.",
                        "Done this way, measurement becomes a conversation about {T} rather than a scoreboard.")),
        TRADEOFFS("Costs and trade-offs", "the costs and trade-offs", false,
                List.of("Costs and trade-offs in {T}", "The real costs of {T}", "Weighing the trade-offs of {T}"),
                List.of("The real costs of {T}, and how to weigh them honestly.",
                        "Speed versus care, consistency versus flexibility, and the other tensions inside {T}."),
                List.of("Every approach to {T} has costs: time, attention, and opportunity. Write down the gain you expect before you commit.",
                        "Speed vs. care is the classic trade-off. Moving fast teaches you quickly; moving carefully avoids expensive mistakes."),
                List.of("!Every approach to {T} involves trade-offs, and pretending otherwise is how budgets and schedules get blown.",
                        "The most obvious cost is time, both the initial investment and the steady upkeep afterwards.",
                        "Money matters too, though it's often the smaller cost compared with the attention the work requires.",
                        "There's a trade-off between speed and thoroughness: moving fast teaches you quickly, while moving carefully avoids expensive mistakes. Neither extreme works for long, so the [real|interesting] question is where on that spectrum your situation belongs.",
                        "Consistency versus flexibility is another tension, since strict standards make results predictable but can stifle worthwhile experiments.",
                        "Opportunity cost is the easiest one to forget, because every hour spent on {T} is an hour not spent on something else.",
                        "The investment can still be worth it, as long as the benefits are visible and clearly outweigh the price.",
                        "A simple way to stay honest is to write down what you expect to gain before committing [serious|significant] resources.",
                        "If the gains don't show up within a reasonable time, scaling back is a perfectly respectable decision.",
                        "The goal isn't to minimize cost but to spend deliberately on the parts of {T} that matter most.")),
        DEBATES("Where experts disagree", "where experts disagree", false,
                List.of("Where experts disagree on {T}", "Open questions in {T}", "The debates around {T}"),
                List.of("The open questions where informed {people} still disagree.",
                        "Where the advice on {T} diverges, and how to decide for yourself."),
                List.of("Experts still disagree on parts of {T}. Usually that reflects different contexts, not one side being wrong.",
                        "When two credible sources on {T} contradict each other, run a small experiment of your own. It settles more than debate does."),
                List.of("!Not everything about {T} is settled, and [experienced|well-informed] {people} still disagree on some important points.",
                        "One long-running debate is whether it's better to standardize early or to let practices emerge and formalize them later. Advocates of standardizing point to consistency and easier onboarding, while critics worry about locking in early mistakes.",
                        "Another disagreement concerns how much to rely on tools versus judgment. Some argue that good tooling makes expertise less necessary, while others counter that tools only amplify whatever understanding is already there.",
                        "There's also genuine debate about how quickly the field around {T} is changing and whether today's best practices will age well.",
                        "These disagreements are healthy, because they usually reflect different contexts rather than one side being wrong.",
                        "The practical lesson is to notice which assumptions an expert is making before adopting their advice.",
                        "When two credible sources contradict each other, a small experiment of your own is often the fastest way to settle the question for your situation.",
                        "Holding opinions about {T} loosely is not indecision; it's a way of staying open to better evidence.",
                        "Over time your own experience will place you somewhere in these debates, and that's exactly as it should be.")),
        START("Getting started", "how to get started", false,
                List.of("Getting started with {T}", "Your first steps with {T}", "Where to begin with {T}"),
                List.of("Concrete first steps for anyone new to {T}.",
                        "How to begin with {T} without getting overwhelmed."),
                List.of("Getting started with {T}: pick one small, concrete step this week and actually take it. The reading can wait an hour.",
                        "Find one other person who cares about {T}. Learning alongside someone makes it far easier to keep going."),
                List.of("!Getting started with {T} is mostly a matter of picking a small, concrete first step and actually taking it.",
                        "Resist the urge to read everything first, since a little hands-on experience makes the reading far more [valuable|rewarding].",
                        "A sensible first week might be spent simply observing how things work today and noting what stands out.",
                        "From there, choose one improvement that would make a visible difference and give it [two|three] weeks of steady attention.",
                        "Keep a short record of what you tried and what happened, even if it's only a few lines.",
                        "Find at least one other person who cares about {T}, because learning alongside someone makes it far easier to keep going.",
                        "Expect the first attempts to feel clumsy; that's a sign you're learning, not a sign you're failing.",
                        "Once the first improvement sticks, pick the next one, and resist the temptation to add three at once.",
                        "Within a couple of months the basics will feel natural, and the more advanced material will start to make sense.",
                        "The hardest part is usually the first hour, so put it on the calendar [this week|today].",
                        "Small, regular effort beats a big burst of enthusiasm followed by silence.")),
        CHECKLIST("A practical checklist", "a practical checklist", true,
                List.of("A practical checklist for {T}", "A quick checklist for {T}", "Your {T} checklist"),
                List.of("A short, reusable checklist to keep {T} on track.",
                        "The essential steps of {T}, condensed into a list you can return to."),
                List.of("A checklist for {T}: clear goal, baseline, one change at a time, regular review, written notes, a second pair of eyes.",
                        "If you only keep one habit from all of this, keep the regular review. Everything else builds on it."),
                List.of("!To pull things together, here is a short checklist you can return to whenever you work on {T}.",
                        "{ord}, be clear about the outcome you want and write it down in a single sentence.",
                        "{ord}, record where things stand today so you have a baseline to compare against.",
                        "{ord}, choose one change at a time and decide in advance how you'll judge whether it worked.",
                        "{ord}, schedule a regular review, even a [short|brief] one, and protect that time.",
                        "{ord}, keep notes on decisions and surprises, since they become your most valuable reference.",
                        "{ord}, ask someone else to look over your approach at least occasionally.",
                        "Finally, revisit the checklist itself every so often and adapt it to what you've learned.",
                        "None of these steps is complicated, but together they cover most of what separates steady progress from guesswork.",
                        "If you only have time for one item, make it the regular review.",
                        "Print the list, pin it somewhere visible, or turn it into a recurring reminder, whichever you'll actually see.")),
        FUTURE("The road ahead", "what comes next", false,
                List.of("The road ahead for {T}", "What's next for {T}", "The future of {T}"),
                List.of("What the next few years may bring for {T}, and how to prepare.",
                        "The trends likely to shape {T}, and the fundamentals that won't change."),
                List.of("What's next: better tools and higher expectations, but the fundamentals of {T} won't change much. Invest in principles.",
                        "The people who do best with {T} over the next few years won't chase every trend. They'll keep learning steadily."),
                List.of("!Looking ahead, expect {T} to keep evolving, though probably in steadier steps than the headlines suggest.",
                        "Better tools will lower the barrier to entry, which means more {people} will be able to take part.",
                        "Wider participation tends to raise expectations, so yesterday's advanced practice becomes tomorrow's baseline.",
                        "At the same time, the fundamentals are unlikely to change much, because they rest on how people learn and work together.",
                        "Expect more emphasis on measuring results and sharing what works, and less on one-off heroics.",
                        "There will also be new mistakes to make, since every new capability brings its own failure modes.",
                        "The {people} who do best will be those who keep learning steadily instead of chasing every trend.",
                        "If you're building skills in {T} today, focus on the principles, since the specific techniques will [keep shifting|come and go].",
                        "It's also worth keeping an eye on adjacent fields, because many of the best ideas arrive from the edges.",
                        "Whatever the next few years bring, a habit of regular review and small experiments will remain a reliable advantage.",
                        "In that sense, the future of {T} looks less like a revolution and more like a long, rewarding climb."));

        static final List<Angle> OPENERS = List.of(WHY, CORE);
        static final List<Angle> MIDDLES = List.of(PRACTICE, TOOLS, EXAMPLE, MISTAKES, MEASURE, TRADEOFFS, DEBATES);
        static final List<Angle> CLOSERS = List.of(START, CHECKLIST, FUTURE);

        final String label;
        final String phrase;
        final boolean narrative;
        final List<String> titles;
        final List<String> outline;
        final List<String> tweets;
        final List<String> sentences;

        Angle(String label, String phrase, boolean narrative, List<String> titles, List<String> outline,
              List<String> tweets, List<String> sentences) {
            this.label = label;
            this.phrase = phrase;
            this.narrative = narrative;
            this.titles = titles;
            this.outline = outline;
            this.tweets = tweets;
            this.sentences = sentences;
        }
    }

    // ---- shared sentences --------------------------------------------------------------------

    private static final class Bank {
        static final List<String> ORDINALS = List.of("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Next");

        /** Opening sentences that tie a section to its heading; each names {title} and {T}. */
        static final List<String> LEADS = List.of(
                "The heading {title} points to something that shapes nearly every decision about {T}.",
                "Under {title}, the aim is to get concrete about {T} rather than stay abstract.",
                "Before going further, it helps to be clear about what {title} means in the context of {T}.",
                "{title} may sound like a side issue, but it sits close to the center of {T}.",
                "A lot of the confusion around {T} clears up when you look at it through the lens of {title}.",
                "Here the focus shifts to {title}, one of the more revealing ways to think about {T}.",
                "It's worth pausing on {title}, because that's where many {people} either gain traction with {T} or lose momentum.",
                "Much of what makes {T} work in the real world falls under {title}.");

        /** Sentences that fit any section; sliced by section index so an article never repeats one. */
        static final List<String> FILLERS = List.of(
                "None of this requires perfection, only consistency.",
                "The details will differ from one situation to the next, but the underlying pattern holds up remarkably well.",
                "It's worth remembering that everyone who is good at {T} was once a beginner.",
                "A little curiosity goes a long way here, especially when results don't match expectations.",
                "Small improvements are easy to dismiss, yet they're usually what separates steady progress from stagnation.",
                "Clear notes and honest reviews do more for {T} than any single clever trick.",
                "The simplest version that works is almost always the right place to start.",
                "Patience matters, because meaningful results in {T} rarely show up in the first week.",
                "Asking why something worked is just as valuable as asking why something failed.",
                "Sharing what you learn, even informally, tends to sharpen your own understanding.",
                "Good habits around {T} tend to spread, since others notice when something works.",
                "When in doubt, run a small experiment rather than debating in the abstract.",
                "Context is everything: advice that fits one situation perfectly can mislead in another.",
                "Most setbacks turn out to be {useful}, as long as someone takes the time to understand them.",
                "Keeping things simple leaves room to adapt when circumstances change.",
                "There is rarely a single right answer, but there are plenty of clearly wrong ones worth avoiding.",
                "Progress is easier to sustain when the effort fits naturally into existing routines.",
                "A clear goal turns a vague intention about {T} into something you can actually act on.",
                "The {people} who get the most out of {T} are usually the ones who keep asking simple questions.",
                "Treat early results as hints rather than verdicts.",
                "It also helps to decide in advance what would count as a meaningful improvement.",
                "A bit of structure makes {this} far less intimidating.",
                "Being explicit about assumptions saves a surprising amount of rework later.",
                "Momentum matters more than perfection at this stage.");
    }

    /** Everything that changes with the tone: vocabulary, openers, titles, summaries and thread lines. */
    private static final class Tones {
        static List<String> vocabulary(Tone tone, String name) {
            return switch (name) {
                case "people" -> of(tone, List.of("people", "teams"), List.of("folks", "people"),
                        List.of("practitioners", "teams"), List.of("people", "enthusiasts"));
                case "really" -> of(tone, List.of("genuinely", "really"), List.of("really", "truly"),
                        List.of("genuinely", "truly"), List.of("seriously", "genuinely"));
                case "useful" -> of(tone, List.of("useful", "practical"), List.of("handy", "helpful"),
                        List.of("valuable", "effective"), List.of("surprisingly handy", "delightfully useful"));
                case "big" -> of(tone, List.of("significant", "substantial"), List.of("big", "really worthwhile"),
                        List.of("substantial", "material"), List.of("enormous", "gloriously large"));
                case "tricky" -> of(tone, List.of("tricky", "difficult"), List.of("tricky", "awkward"),
                        List.of("complex", "nontrivial"), List.of("sneaky", "devilish"));
                default -> throw new IllegalStateException("unknown slot {" + name + "}");
            };
        }

        static List<String> openers(Tone tone) {
            return of(tone, List.of("In practice, ", "Put simply, ", "Broadly speaking, "),
                    List.of("Honestly, ", "Here's the thing: ", "Between us, "),
                    List.of("In our experience, ", "Notably, ", "As a rule, "),
                    List.of("Fun fact: ", "Plot twist: ", "Here's the fun part: "));
        }

        static List<String> leads(Tone tone) {
            return of(tone,
                    List.of("This section looks at {title} and what it means for {T}.",
                            "{title} is a good lens for seeing how the pieces of {T} fit together."),
                    List.of("Let's talk about {title}, because it matters more for {T} than you might think.",
                            "Grab a coffee, because {title} is where the interesting part of {T} begins."),
                    List.of("This section addresses {title} and its practical implications for {T}.",
                            "From a practical standpoint, {title} is where decisions about {T} carry the most weight."),
                    List.of("Now for {title}, the part of {T} that quietly runs the show.",
                            "Buckle up, because {title} is where the theory behind {T} meets reality."));
        }

        static List<String> asides(Tone tone) {
            return of(tone,
                    List.of("This is less obvious than it sounds.", "The difference is easy to overlook.",
                            "Consistency is the thread running through all of it.", "The payoff tends to arrive gradually, then all at once."),
                    List.of("You've got more room to experiment than you might think.",
                            "Don't worry if this feels like a lot at first; it gets easier quickly.",
                            "Be kind to yourself while you're learning.",
                            "You'll be surprised how quickly this becomes second nature."),
                    List.of("This has direct implications for planning and resourcing.",
                            "Clear ownership makes this considerably easier to sustain.",
                            "Documenting the rationale supports consistent decisions over time.",
                            "The return on this investment tends to grow over time."),
                    List.of("Think of it as a long game with surprisingly good snacks.", "Nobody said this would be boring, and it isn't.",
                            "Your future self will send a thank-you note.",
                            "It's less dramatic than a movie montage, but far more effective."));
        }

        static List<String> titles(Tone tone) {
            return of(tone,
                    List.of("A clear guide to {T}", "Understanding {T}: what actually matters",
                            "{Tc}: a practical overview", "The essentials of {T}, explained"),
                    List.of("Your friendly guide to {T}", "{Tc}, made simple",
                            "Everything I wish I'd known about {T}", "Let's talk about {T}"),
                    List.of("{Tc}: a practical framework", "A strategic guide to {T}",
                            "{Tc}: principles, pitfalls, and practice", "Getting {T} right: a practitioner's guide"),
                    List.of("{Tc}, minus the headaches", "Everything you didn't know you needed to know about {T}",
                            "The surprisingly fun guide to {T}", "{Tc}: the good, the bad, and the fixable"));
        }

        static List<String> questionTitles(Tone tone) {
            return of(tone, List.of("a clear answer", "what actually matters"),
                    List.of("let's figure it out", "a friendly answer"),
                    List.of("a practical analysis", "a structured answer"),
                    List.of("the surprisingly interesting answer", "an answer, minus the headaches"));
        }

        static List<String> summaryIntros(Tone tone) {
            return of(tone,
                    List.of("This article looks at {T} from a practical angle, focusing on what holds up in real use.",
                            "Plenty has been written about {T}, but much of it skips the everyday details that decide the outcome."),
                    List.of("If you've been curious about {T} but weren't sure where to start, this one's for you.",
                            "Let's take a relaxed, practical look at {T}, without the jargon."),
                    List.of("This article offers a structured, practical view of {T} for readers who need results rather than theory.",
                            "For teams evaluating {T}, the difference between success and wasted effort usually lies in execution."),
                    List.of("Think of this article as a map for {T}, complete with the shortcuts and the potholes.",
                            "Pour yourself something nice: we're about to make {T} a lot less mysterious."));
        }

        static List<String> coverageFrames(Tone tone) {
            return of(tone, List.of("It covers %s.", "Along the way, it covers %s."),
                    List.of("We'll walk through %s.", "Together we'll cover %s."),
                    List.of("It addresses %s.", "The sections cover %s."),
                    List.of("On the menu: %s.", "We'll tour %s."));
        }

        static List<String> summaryClosers(Tone tone) {
            return of(tone, List.of("The aim is a clear picture you can act on.", "No prior expertise is assumed."),
                    List.of("Grab a coffee and let's dig in.", "By the end, you'll know exactly where to start."),
                    List.of("Each section links principle to practice.", "The emphasis throughout is on measurable outcomes."),
                    List.of("No jargon marathons, promise.", "Snacks are optional but encouraged."));
        }

        static List<String> hooks(Tone tone) {
            return of(tone,
                    List.of("Most advice about {T} skips the part that matters most: the everyday habits. Here's a practical breakdown.",
                            "Small choices about {T} compound faster than you'd think. Here's what actually makes a difference."),
                    List.of("Curious about {T}? It's simpler than it looks, and the basics fit in one short thread. Let's go 🧵",
                            "I spent a while digging into {T} so you don't have to. Here's the friendly, no-jargon version 🧵"),
                    List.of("Discussions of {T} often stay abstract. Here is a practical view of what actually drives results.",
                            "Most initiatives around {T} fail on execution, not strategy. A short thread on what separates the two."),
                    List.of("Hot take: the scariest part of {T} is the first five minutes. Everything after is surprisingly fun. A thread 🧵",
                            "Nobody warned me that {T} would be this interesting. Strap in 🧵"));
        }

        static List<String> threadIntros(Tone tone) {
            return of(tone, List.of("A short thread on {T}: what matters, what to skip, and where to start."),
                    List.of("Let's talk about {T}! Here's what I've learned, in plain language and small bites 🧵"),
                    List.of("A brief thread on {T}: key principles, common pitfalls, and practical first steps."),
                    List.of("Gather round: a thread on {T}, with fewer buzzwords than you'd expect 🧵"));
        }

        static List<String> threadClosers(Tone tone) {
            return of(tone, List.of("That's the short version. Start small, review often, and keep notes: most progress with {T} comes from exactly that."),
                    List.of("That's it! If you're tackling {T} this year, pick one small step this week. You've got this."),
                    List.of("In summary: clear goals, small changes, regular review. That discipline is what separates results from activity in {T}."),
                    List.of("And that's the thread. Go forth, start small, and enjoy the ride with {T}."));
        }

        private static <T> T of(Tone tone, T neutral, T friendly, T professional, T playful) {
            return switch (tone) {
                case NEUTRAL -> neutral;
                case FRIENDLY -> friendly;
                case PROFESSIONAL -> professional;
                case PLAYFUL -> playful;
            };
        }
    }
}
