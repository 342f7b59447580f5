import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM, ContentGenNode, freePort, NextApp } from "./support.mjs";

/**
 * The example app, built (`next build`) and started (`next start`), driven in Chromium against a real
 * contentgen node that dies and freezes mid-job: whichever way the page streams, it ends with the
 * complete article, each section once.
 */
describe("the Next.js example", { skip: existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let node;
  let app;
  let browser;

  before(async () => {
    const port = await freePort();
    node = await ContentGenNode.start(`http://127.0.0.1:${port}`);
    app = await NextApp.start(port, {
      CONTENTGEN_URL: node.url,
      CONTENTGEN_API_KEY: node.key,
      // Shorter than the silence of a frozen node, far longer than its 500 ms heartbeat.
      CONTENTGEN_BODY_TIMEOUT_MS: "2500",
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  after(async () => {
    await browser?.close();
    await app?.kill();
    await node?.close();
  });

  /** Opens the page, asks for an article on `topic` streamed the `mode` way, and returns the page. */
  async function generate(topic, mode) {
    const page = await browser.newPage();
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(e.message));
    await page.goto(app.url);
    await page.getByLabel("Topic").fill(topic);
    await page.getByLabel("Stream").selectOption(mode);
    await page.getByRole("button", { name: "Generate" }).click();
    return page;
  }

  const status = (page) => page.getByTestId("status");

  async function reachedEvent(page, seq) {
    await page.waitForFunction((n) => Number(document.querySelector("[data-testid=status]")?.dataset.lastSeq) >= n, seq, { timeout: 60_000 });
  }

  /** The page shows the whole article, exactly as contentgen stored it, and each section in it once. */
  async function assertCompleteArticle(page) {
    await page.waitForSelector("[data-testid=status][data-status=completed]", { timeout: 180_000 });
    assert.deepEqual(page.errors, [], "no error in the page");
    const jobId = await status(page).getAttribute("data-job-id");
    const job = await (await fetch(`${node.url}/api/jobs/${jobId}`, { headers: { Authorization: `Bearer ${node.key}` } })).json();
    assert.equal(job.status, "completed");
    const article = job.artifacts.find((a) => a.kind === "article" && a.status === "completed");
    const sections = job.artifacts.filter((a) => a.kind === "section" && a.status === "completed");
    assert.ok(article && sections.length >= 2, JSON.stringify(job.artifacts.map((a) => [a.kind, a.status])));
    const shown = await page.getByTestId("article").innerText();
    assert.equal(shown.trim(), article.content.trim());
    const headings = shown.split("\n").filter((line) => line.startsWith("## "));
    assert.deepEqual(headings, sections.map((s) => `## ${s.title}`), "each section's heading once, in order");
    for (const section of sections) {
      assert.equal(shown.split(section.content.trim()).length - 1, 1, `the text of section "${section.title}" appears once`);
    }
    return job;
  }

  it("through the app's route handler, with the node SIGKILLed and restarted mid-job", async () => {
    const page = await generate("Streams that survive a crash", "proxy");
    await reachedEvent(page, 10);
    await node.kill();
    await page.waitForFunction(() => /UPSTREAM_UNAVAILABLE|reconnecting/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""));
    await node.restart();
    const job = await assertCompleteArticle(page);
    assert.ok(job.attempt >= 2, "the job was interrupted and rescued");
    await page.close();
  });

  it("through the route handler whose undici body timeout is shorter than the node's silence (frozen with SIGSTOP)", async () => {
    const page = await generate("Streams that survive a silence", "proxy");
    await reachedEvent(page, 10);
    const logged = app.output.length;
    node.signal("SIGSTOP");
    try {
      // undici gives up on the silent body; the route handler logs it and sends the page a retryable error event.
      for (let i = 0; !/\[contentgen proxy\] job=\S+ TimedOut/.test(app.output.slice(logged)); i++) {
        assert.ok(i < 600, `no body timeout in the app's log:\n${app.output.slice(logged)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      node.signal("SIGCONT");
    }
    await assertCompleteArticle(page);
    assert.match(app.output.slice(logged), /\[contentgen proxy\] job=\S+ TimedOut: .*[Bb]ody [Tt]imeout/);
    await page.close();
  });

  it("a page closed mid-job through the route handler closes the stream to contentgen, and the job runs on", async () => {
    const page = await generate("Streams that outlive their reader", "proxy");
    await reachedEvent(page, 5);
    const jobId = await status(page).getAttribute("data-job-id");
    await page.close();
    const health = async () => (await (await fetch(`${node.url}/healthz`)).json()).openStreams;
    // The node sees the stream closed at its next write: a heartbeat (500 ms) at most.
    for (let i = 0; (await health()) > 0; i++) {
      assert.ok(i < 200, "the route handler kept streaming from contentgen after the page closed");
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(node.output, new RegExp(`\\[STREAM_END\\] job=${jobId} reason=client_closed`), "closed by its reader, not by the job's end");
    const job = async () => (await fetch(`${node.url}/api/jobs/${jobId}`, { headers: { Authorization: `Bearer ${node.key}` } })).json();
    for (let i = 0; (await job()).status !== "completed"; i++) {
      assert.ok(i < 1200, `the job did not complete: ${(await job()).status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await job()).attempt, 1, "never cancelled or interrupted");
  });

  it("straight from contentgen with a stream token (CORS), with the node SIGKILLed and restarted mid-job", async () => {
    const page = await generate("Streams without a proxy", "direct");
    const streamed = [];
    page.on("request", (r) => r.url().includes("/events") && streamed.push(r.url()));
    await reachedEvent(page, 10);
    await node.kill();
    await page.waitForFunction(() => /reconnecting/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""));
    await node.restart();
    await assertCompleteArticle(page);
    assert.ok(streamed.length >= 2 && streamed.every((url) => url.startsWith(`${node.url}/api/jobs/`) && url.includes("token=")), streamed.join("\n"));
    await page.close();
  });
});
