package dev.contentgen.server.pipeline.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.FormatList;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped format runs end to end on the offline generator on a real node, and its final
 * piece has the format's structure: numbered posts, an SEO pack within its limits, subject lines.
 */
class ShippedFormatsTest {
    static final List<String> SHIPPED = List.of("article", "social-thread", "blog-post", "newsletter", "linkedin-post",
            "product-description", "email-sequence");
    static final String TOPIC = "Why background jobs need idempotency keys and careful retries in production systems";

    @TempDir
    static Path dir;

    static Node node;
    static Api api;

    @BeforeAll
    static void start() {
        node = new Node(TestNodes.config(dir)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    JobLogAssertions.Rebuilt run(String format, String length) throws Exception {
        Job job = api.createJob(Map.of("topic", TOPIC, "format", format, "length", length));
        assertThat(job.format().wireName()).isEqualTo(format);
        JobLogAssertions.Rebuilt log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
        assertThat(log.terminal().status()).as(format).isEqualTo(JobStatus.COMPLETED);
        return log;
    }

    @Test
    void everyShippedFormatIsListedAndRunsToAFinalPieceOfItsAssemblyKind() throws Exception {
        FormatList list = api.get("/api/formats").as(FormatList.class);
        assertThat(list.names()).containsAll(SHIPPED);
        assertThat(list.defaultFormat()).isEqualTo("article");
        for (String name : SHIPPED) {
            FormatList.Entry format = list.find(name).orElseThrow();
            JobLogAssertions.Rebuilt log = run(name, "short");
            JobEvent.ArtifactCompleted last = log.finalArtifact();
            assertThat(last.kind()).as(name).isEqualTo(format.assembly().kind());
            assertThat(last.content()).as(name).doesNotContain("{{").contains("idempotency");
            assertThat(last.content().strip().split("\\s+").length).as(name + " has words to read").isGreaterThan(40);
            for (FormatList.StepEntry step : format.steps()) {
                int expected = step.repeat() ? format.options().parts().get("short") : 1;
                assertThat(log.ofKind(step.kind())).as(name + " " + step.kind()).hasSize(expected);
            }
        }
    }

    @Test
    void theArticleKeepsItsStepsAndAssembly() throws Exception {
        JobLogAssertions.Rebuilt log = run("article", "short");
        assertThat(log.completed().values()).extracting(JobEvent.ArtifactCompleted::kind)
                .containsExactly("outline", "section", "section", "section", "summary", "article");
        List<JobEvent.ArtifactCompleted> sections = log.ofKind("section");
        assertThat(log.finalArtifact().content()).startsWith("# ")
                .contains("## " + sections.getFirst().title() + "\n\n" + sections.getFirst().content().strip());
        assertThat(log.finalArtifact().title()).isEqualTo(log.ofKind("summary").getFirst().content().lines().findFirst()
                .orElseThrow().substring(2));
    }

    @Test
    void aThreadIsAHookThenNumberedPostsOfAtMost280Characters() throws Exception {
        JobLogAssertions.Rebuilt log = run("social-thread", "medium");
        JobEvent.ArtifactCompleted thread = log.finalArtifact();
        assertThat(thread.kind()).isEqualTo("thread");
        assertThat(thread.title()).isEqualTo("Thread: " + TOPIC);
        List<String> blocks = List.of(thread.content().strip().split("\n\n"));
        assertThat(blocks).hasSize(1 + 6);
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i)).startsWith(i + "/ ").hasSizeLessThanOrEqualTo(280);
        }
    }

    @Test
    void aBlogPostEndsWithAnSeoPackWithinItsLimits() throws Exception {
        JobEvent.ArtifactCompleted seo = run("blog-post", "medium").ofKind("seo").getFirst();
        String titleTag = field(seo.content(), "Title tag");
        String meta = field(seo.content(), "Meta description");
        String slug = field(seo.content(), "Slug");
        String keywords = field(seo.content(), "Keywords");
        assertThat(titleTag).isNotBlank().hasSizeLessThanOrEqualTo(60);
        assertThat(meta).isNotBlank().hasSizeLessThanOrEqualTo(160);
        assertThat(slug).matches("[a-z0-9]+(-[a-z0-9]+)*").hasSizeLessThanOrEqualTo(60).startsWith("why-background-jobs");
        assertThat(keywords.split(", ")).hasSizeBetween(3, 6).contains("idempotency");
        String faq = seo.content().substring(seo.content().indexOf("### FAQ"));
        assertThat(Pattern.compile("(?m)^\\*\\*Q: .+\\?\\*\\*\\nA: .+$").matcher(faq).results().count()).isEqualTo(3);
    }

    @Test
    void anEmailSequenceIsOneEmailPerPartEachWithASubjectLine() throws Exception {
        JobLogAssertions.Rebuilt log = run("email-sequence", "long");
        List<JobEvent.ArtifactCompleted> emails = log.ofKind("email");
        assertThat(emails).hasSize(6);
        for (JobEvent.ArtifactCompleted email : emails) {
            assertThat(email.content()).startsWith("**Subject:** " + email.title() + "\n\n").contains("Best,\nThe team");
        }
        assertThat(emails.getFirst().content()).contains("In the next email");
        assertThat(emails.getLast().content()).contains("the last email of this series");
        assertThat(Pattern.compile("(?m)^## ").matcher(log.finalArtifact().content()).results().count()).isEqualTo(6);
    }

    @Test
    void aLinkedInPostHasPointsAQuestionAndHashtags() throws Exception {
        String post = run("linkedin-post", "short").finalArtifact().content();
        assertThat(Pattern.compile("(?m)^→ ").matcher(post).results().count()).isEqualTo(3);
        assertThat(post).contains("? I'd like to hear it in the comments.");
        assertThat(post.strip().lines().reduce((a, b) -> b).orElseThrow()).matches("#\\w+( #\\w+)*");
        assertThat(post).doesNotContain("🧵");
        assertThat(post.length()).isLessThanOrEqualTo(3000);
    }

    @Test
    void aProductDescriptionHasAHeadlineADescriptionAndFeatureBullets() throws Exception {
        JobLogAssertions.Rebuilt log = run("product-description", "medium");
        String page = log.finalArtifact().content();
        assertThat(page).startsWith("# ");
        assertThat(log.finalArtifact().title()).isEqualTo(page.lines().findFirst().orElseThrow().substring(2));
        assertThat(Pattern.compile("(?m)^- \\*\\*.+\\*\\* — .+$").matcher(page).results().count()).isEqualTo(4);
    }

    @Test
    void aNewsletterOpensGreetsTellsItsStoriesAndSignsOff() throws Exception {
        String issue = run("newsletter", "short").finalArtifact().content();
        assertThat(issue).startsWith("Hello, and welcome to this issue.").endsWith("Until next time!\n");
        assertThat(Pattern.compile("(?m)^## ").matcher(issue).results().count()).isEqualTo(3);
    }

    private static String field(String pack, String name) {
        Matcher m = Pattern.compile("(?m)^\\*\\*" + name + ":\\*\\* (.*)$").matcher(pack);
        assertThat(m.find()).as("field %s in:%n%s", name, pack).isTrue();
        return m.group(1).strip();
    }
}
