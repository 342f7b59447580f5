package dev.contentgen.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.contentgen.api.Job;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TcpProxy;
import dev.contentgen.server.testing.TestNodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a web app on another origin, allowed with --cors-origin, gets stream tokens from its
 * own backend and streams straight from contentgen (no proxy to buffer or cut the stream); when a
 * token expires during a reconnect it fetches a new one and resumes, nothing lost or doubled. A
 * page on an origin that is not allowed gets nothing.
 */
class CrossOriginStreamTest extends BrowserTest {
    /** The app's page: one EventSource at a time, renewed with a fresh token whenever the server closes it for good. */
    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>app</title>
            <script type="module">
            const params = new URLSearchParams(location.search);
            const node = params.get('node'), job = params.get('job');
            const TYPES = ['status', 'progress', 'artifact.created', 'artifact.delta', 'artifact.completed', 'artifact.discarded'];
            window.seen = []; window.opens = 0; window.done = false; window.failures = [];
            let last = 0;
            async function token() {
              const r = await fetch('/token?job=' + job);
              return (await r.json()).token;
            }
            async function open() {
              window.opens++;
              const es = new EventSource(node + '/api/jobs/' + job + '/events?after=' + last + '&token=' + encodeURIComponent(await token()));
              for (const type of TYPES) es.addEventListener(type, (e) => {
                const seq = Number(e.lastEventId);
                window.seen.push(seq); last = seq;
                const data = JSON.parse(e.data);
                if (type === 'status' && ['completed', 'failed', 'cancelled'].includes(data.status)) { window.done = true; es.close(); }
              });
              es.onerror = () => {
                if (es.readyState === EventSource.CLOSED && !window.done) {
                  window.failures.push('closed after ' + last);
                  setTimeout(open, 200);
                }
              };
            }
            open();
            </script>""";

    HttpServer app;

    /**
     * The app's own server on {@code port} (0: any): its page, and a backend route that asks
     * contentgen for a stream token with the app's key, as a real app's backend would.
     */
    private int startApp(int port, String key) throws IOException {
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        Api backend = api.withKey(key);
        app.createContext("/", exchange -> {
            byte[] body;
            if (exchange.getRequestURI().getPath().equals("/token")) {
                String jobId = exchange.getRequestURI().getQuery().substring("job=".length());
                body = backend.post("/api/jobs/" + jobId + "/stream-token", "").body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            } else {
                body = PAGE.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        return app.getAddress().getPort();
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void anAllowedOriginStreamsWithATokenAndRenewsItWhenItExpiresMidStream() throws Exception {
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(1));
        gate = provider.gateAt("section", 20);
        // The app's port must be known before the node starts (it is the allowed origin), so reserve it first.
        int appPort;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            appPort = probe.getLocalPort();
        }
        startNode(provider, TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS)
                .withCorsOrigins(List.of("http://127.0.0.1:" + appPort)).withStreamTokenTtl(Duration.ofSeconds(2)));
        String key = Keys.create(node, "app", false);
        startApp(appPort, key);
        Job job = api.withKey(key).createJob("Straight from the source");

        try (TcpProxy proxy = new TcpProxy("127.0.0.1", node.port())) {
            Page page = browser.page();
            page.navigate("http://127.0.0.1:" + appPort + "/?node=http://127.0.0.1:" + proxy.port() + "&job=" + job.id());
            assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();
            page.waitForFunction("() => window.seen.length > 3");
            // The token's two seconds pass while the stream is open; then the connection drops.
            Thread.sleep(2_500);
            proxy.cut();
            Thread.sleep(500);
            proxy.restore();
            page.waitForFunction("() => window.opens >= 2", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            gate.countDown();
            page.waitForFunction("() => window.done", null, new Page.WaitForFunctionOptions().setTimeout(30_000));

            List<Long> seen = ((List<?>) page.evaluate("() => window.seen")).stream().map(n -> ((Number) n).longValue()).toList();
            List<SseEvent> log = api.withKey(key).fullLog(job.id());
            assertThat(seen).as("every event once, in order").containsExactlyElementsOf(
                    LongStream.rangeClosed(1, log.getLast().seq()).boxed().toList());
            assertThat((List<?>) page.evaluate("() => window.failures")).as("the expired token closed the stream once, then a new one resumed")
                    .isNotEmpty();
        }
    }

    @Test
    void anOriginThatIsNotAllowedGetsNoEvents() throws Exception {
        startNode(new ScriptedProvider(), TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS)
                .withCorsOrigins(List.of("https://app.example.com")));
        String key = Keys.create(node, "app", false);
        int appPort = startApp(0, key);
        Job job = api.withKey(key).createJob("Not for strangers");
        Page page = browser.page();
        page.navigate("http://127.0.0.1:" + appPort + "/?node=" + api.base() + "&job=" + job.id());
        page.waitForFunction("() => window.failures.length > 0", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
        assertThat((List<?>) page.evaluate("() => window.seen")).isEmpty();
        Object direct = page.evaluate("async (url) => { try { await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json',"
                + " 'Authorization': 'Bearer " + key + "'}, body: '{\"topic\":\"x\"}'}); return 'answered'; } catch (e) { return 'blocked'; } }",
                api.base() + "/api/jobs");
        assertThat(direct).isEqualTo("blocked");
        assertThat(api.withKey(key).get("/api/jobs").body()).doesNotContain("\"topic\":\"x\"");
    }
}
