package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 10: on a node with keys the UI signs in with a key, keeps only an HttpOnly session, and sees only its owner's jobs. */
class SignInTest extends BrowserTest {
    @Test
    void signingInWithAKeyShowsTheFormAndStreamsAJobOfThatOwner() {
        startNode(new ScriptedProvider().pace(Duration.ofMillis(1)), TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS));
        String alice = Keys.create(node, "alice", false);
        Job bobs = api.withKey(Keys.create(node, "bob", false)).createJob("Bob's private topic");
        Page page = openHome();

        assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.HEADING,
                new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        assertThat(page.getByLabel("Topic")).isHidden();
        browser.screenshot("sign-in");

        page.getByLabel("API key").fill("cgk_wrong");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#signin-error")).containsText("not valid");

        page.getByLabel("API key").fill(alice);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#account")).containsText("alice");
        assertThat(page.getByLabel("Topic")).isVisible();
        assertThat(page.locator("#history")).not().containsText("Bob's private topic");

        JobScreen ui = new JobScreen(page);
        ui.generate("Signed-in streams", "short");
        ui.awaitStatus("completed");
        Job job = api.withKey(alice).job(ui.jobId());
        assertThat(job.owner()).isEqualTo("alice");
        assertThat(page.locator("#history")).containsText("Signed-in streams");
        browser.screenshot("signed-in-completed");

        // The key lives nowhere a page script can read it: only in the HttpOnly cookie's session, never the key itself.
        Object readable = page.evaluate("() => document.cookie + '|' + JSON.stringify(localStorage) + '|' + JSON.stringify(sessionStorage)"
                + " + '|' + location.href + '|' + document.documentElement.outerHTML");
        assertThat(readable.toString()).doesNotContain(alice).doesNotContain("contentgen_session");
        assertThat(page.context().cookies()).anySatisfy(c -> {
            assertThat(c.name).isEqualTo("contentgen_session");
            assertThat(c.httpOnly).isTrue();
            assertThat(c.sameSite).hasToString("STRICT");
            assertThat(c.value).doesNotContain(alice);
        });

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByLabel("API key")).isVisible();
        assertThat(api.withKey(Keys.create(node, "ops", true)).get("/api/jobs").as(JobPage.class).jobs())
                .extracting(Job::id).contains(bobs.id(), job.id());
    }

    @Test
    void generatingBeforeThePageHasAskedWhoIsSignedInStillCreatesTheJob() {
        startNode(new ScriptedProvider().pace(Duration.ofMillis(1)));
        Page page = browser.page();
        // Hold the page's question "who is signed in?" so the form is used before it is answered.
        java.util.List<com.microsoft.playwright.Route> held = new java.util.ArrayList<>();
        page.route("**/api/session", held::add);
        page.navigate(api.base().toString());
        page.getByLabel("Topic").fill("Quick fingers");
        new JobScreen(page).button("Generate").click();
        assertThat(page.locator("#job-topic")).hasText("Quick fingers");
        assertThat(page.url()).as("no native form submission").doesNotContain("topic=");
        assertThat(held).as("the session answer was still held").isNotEmpty();
        held.forEach(com.microsoft.playwright.Route::resume);
        new JobScreen(page).awaitStatus("completed");
    }

    @Test
    void revokingTheKeyEndsTheSession() {
        startNode(new ScriptedProvider(), TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS));
        var created = Keys.of(node).create("alice", false);
        Page page = openHome();
        page.getByLabel("API key").fill(created.secret());
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByLabel("Topic")).isVisible();
        Keys.of(node).revoke(created.key().id());
        // The next call of the page (the history refreshes every few seconds) is refused, and the page asks to sign in again.
        assertThat(page.getByLabel("API key")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(20_000));
        assertThat(page.getByLabel("Topic")).isHidden();
    }
}
