package dev.contentgen.server.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * A real browser for UI tests: Debian's Chromium driven by Playwright, one Playwright and
 * Browser per test class (starting them costs over a second), a fresh context and page per
 * test, and a screenshot under {@code target/ui-screenshots/} when a test fails. A test fails
 * on an uncaught JavaScript error, and on any Content-Security-Policy violation it did not
 * announce with {@link #expectCspViolations(String)}: the page must work under the node's CSP.
 * Register it with {@code @RegisterExtension static BrowserExtension browser = new BrowserExtension();}.
 */
public final class BrowserExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, InvocationInterceptor {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final List<String> extraArgs;
    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private Page page;
    private final List<BrowserContext> otherContexts = new CopyOnWriteArrayList<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private final List<String> cspViolations = new CopyOnWriteArrayList<>();
    private final List<String> expectedCspViolations = new CopyOnWriteArrayList<>();

    public BrowserExtension() {
        this(List.of());
    }

    /** A browser launched with more Chromium switches, e.g. {@code --ignore-certificate-errors} for a test certificate. */
    public BrowserExtension(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        // Waits are upper bounds, never timings under test: generous on a shared 2-core machine.
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(java.util.stream.Stream.concat(CHROMIUM_ARGS.stream(), extraArgs.stream()).toList()));
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        pageErrors.clear();
        cspViolations.clear();
        expectedCspViolations.clear();
        context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 900)
                .setAcceptDownloads(true)
                .setPermissions(List.of("clipboard-read", "clipboard-write")));
        context.setDefaultTimeout(30_000);
        page = watched(context.newPage());
    }

    /** Another tab in the same context as {@link #page()} (same cookies, same shared workers, same connection limit). */
    public Page newPage() {
        return watched(context.newPage());
    }

    /** A tab of another browser profile: its own cookies, shared workers and connections; closed after the test. */
    public Page pageInAnotherProfile() {
        BrowserContext other = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        other.setDefaultTimeout(30_000);
        otherContexts.add(other);
        return watched(other.newPage());
    }

    private Page watched(Page tab) {
        tab.onPageError(pageErrors::add);
        // Chromium reports every blocked load or inline script as a console message naming the policy.
        tab.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                cspViolations.add(message.text());
            }
        });
        return tab;
    }

    /** Violations whose report contains {@code fragment} are what the test wants to see, not a failure. */
    public void expectCspViolations(String fragment) {
        expectedCspViolations.add(fragment);
    }

    /** The CSP violations reported so far on this test's page. */
    public List<String> cspViolations() {
        return List.copyOf(cspViolations);
    }

    /** The page of the running test. */
    public Page page() {
        return page;
    }

    /** Saves a screenshot of the whole page as {@code target/ui-screenshots/<name>.png}. */
    public Path screenshot(String name) {
        return screenshot(name, true);
    }

    /** Saves a screenshot of the whole page, or of what the window shows, as {@code target/ui-screenshots/<name>.png}. */
    public Path screenshot(String name, boolean fullPage) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(fullPage));
        return file;
    }

    /** Screenshots before {@code @AfterEach} runs, so the picture shows the page as it was when the test failed. */
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext ctx) throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            try {
                Path file = screenshot("FAILED-" + ctx.getRequiredTestClass().getSimpleName() + "-" + call.getExecutable().getName());
                failure.addSuppressed(new Throwable("screenshot of the page: " + file.toAbsolutePath()));
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        if (!pageErrors.isEmpty()) {
            throw new AssertionError("uncaught JavaScript errors on the page: " + pageErrors);
        }
        List<String> unexpected = cspViolations.stream()
                .filter(v -> expectedCspViolations.stream().noneMatch(v::contains)).toList();
        if (!unexpected.isEmpty()) {
            throw new AssertionError("Content Security Policy violations on the page: " + unexpected);
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        otherContexts.forEach(BrowserContext::close);
        otherContexts.clear();
        if (context != null) {
            context.close();
            context = null;
            page = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }
}
