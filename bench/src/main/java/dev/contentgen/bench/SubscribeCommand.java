package dev.contentgen.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Opens N SSE subscribers (to one URL, or to each URL of a list), holds them for a duration (or
 * until every stream ended), and reports held, errors, delivery latency, events/s, and the server's
 * and its own CPU and memory.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true, description = "Hold SSE subscribers and measure delivery.")
final class SubscribeCommand implements Callable<Integer> {
    @Option(names = "--url", description = "Stream URL for every subscriber.")
    URI url;

    @Option(names = "--url-list", description = "File with one stream URL per line; --per-url subscribers each.")
    Path urlList;

    @Option(names = "--per-url", defaultValue = "1")
    int perUrl;

    @Option(names = "--subscribers", defaultValue = "100")
    int subscribers;

    @Option(names = "--connect-concurrency", defaultValue = "200", description = "Connections being opened at once.")
    int connectConcurrency;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds to hold after all connected.")
    int durationSeconds;

    @Option(names = "--until-ended", description = "Stop early when every stream has ended (jobs finished).")
    boolean untilEnded;

    @Option(names = "--from-start", description = "Measure from the first connection (catch-up: replays happen while connecting).")
    boolean fromStart;

    @Option(names = "--server-pid", split = ",", description = "Server process id(s) to read CPU and RSS from.")
    long[] serverPids = new long[0];

    @Option(names = "--metrics", description = "A contentgen /metrics URL (heap, store reads).")
    URI metricsUri;

    @Option(names = "--rss-baseline-kib", defaultValue = "-1",
            description = "The server's RSS before any subscriber connected (default: read when this command starts).")
    long rssBaselineKib;

    @Option(names = "--all-subscribers", defaultValue = "0",
            description = "Subscribers of every client process of this run (when several share the server), for RSS per subscriber.")
    int allSubscribers;

    @Option(names = "--ready-dir", description = "A directory shared by the client processes of one run: each says there when it has "
            + "connected, and the measured window starts only once all of --ready-count have, so no window overlaps another's connecting.")
    Path readyDir;

    @Option(names = "--ready-count", defaultValue = "1", description = "Client processes that share --ready-dir.")
    int readyCount;

    @Option(names = "--label", defaultValue = "run")
    String label;

    @Option(names = "--out", description = "Append the result line to this file.")
    Path out;

    /** How many subscribers watch each stream: every delivered event was read once for all of them. */
    private int watchersPerStream(List<URI> targets) {
        return urlList != null ? perUrl : targets.size();
    }

    @Override
    public Integer call() throws Exception {
        List<URI> targets = new ArrayList<>();
        if (urlList != null) {
            for (String line : Files.readAllLines(urlList)) {
                if (!line.isBlank()) {
                    for (int i = 0; i < perUrl; i++) {
                        targets.add(URI.create(line.strip()));
                    }
                }
            }
        } else {
            for (int i = 0; i < subscribers; i++) {
                targets.add(url);
            }
        }
        ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000L, 3);
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        AtomicLong heartbeats = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(targets.size());
        CountDownLatch settled = new CountDownLatch(targets.size());
        Semaphore opening = new Semaphore(connectConcurrency);
        List<SseSubscriber> all = new ArrayList<>();
        long cpuSelf0 = ProcStats.selfCpuMillis();
        Metrics metrics = new Metrics(metricsUri).refresh();
        long cpu0 = ProcStats.sumOf(serverPids, true);
        long rss0 = rssBaselineKib >= 0 ? rssBaselineKib : ProcStats.sumOf(serverPids, false);
        long start = System.nanoTime();
        for (URI target : targets) {
            SseSubscriber subscriber = new SseSubscriber(target, new SseSubscriber.Sink() {
                boolean counted;

                @Override
                public void connected() {
                    connected.incrementAndGet();
                    counted = true;
                    opening.release();
                    settled.countDown();
                }

                @Override
                public void event(long latencyMillis) {
                    events.incrementAndGet();
                    if (latencyMillis >= 0) {
                        latency.recordValue(Math.min(latencyMillis, 3_600_000L));
                    }
                }

                @Override
                public void heartbeat() {
                    heartbeats.incrementAndGet();
                }

                @Override
                public void ended(String why) {
                    if (!counted) {
                        errors.incrementAndGet();
                        opening.release();
                        settled.countDown();
                    } else {
                        connected.decrementAndGet();
                    }
                    ended.countDown();
                }
            });
            all.add(subscriber);
            opening.acquire();
            Thread.ofVirtual().start(subscriber::run);
        }
        settled.await(120, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        // The server's CPU while this client connected (with several clients, theirs overlaps).
        long serverCpuConnectMs = serverPids.length == 0 ? -1 : ProcStats.sumOf(serverPids, true) - cpu0;
        awaitOtherClients();
        int held = connected.get();
        long events0 = fromStart ? 0 : events.get();
        if (!fromStart) {
            latency.reset();
            metrics.refresh();
            cpu0 = ProcStats.sumOf(serverPids, true);
        }
        double reads0 = metrics.sum("contentgen_store_log_reads_total", null);
        double rows0 = metrics.sum("contentgen_store_events_read_total", null);
        long t0 = fromStart ? start : System.nanoTime();
        if (untilEnded) {
            ended.await(durationSeconds, TimeUnit.SECONDS);
        } else {
            Thread.sleep(Duration.ofSeconds(durationSeconds));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int heldAtEnd = connected.get();
        long cpu1 = ProcStats.sumOf(serverPids, true);
        long rss = ProcStats.sumOf(serverPids, false);
        metrics.refresh();
        double reads = metrics.sum("contentgen_store_log_reads_total", null) - reads0;
        double rows = metrics.sum("contentgen_store_events_read_total", null) - rows0;
        double heapMiB = metrics.sum("jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024);
        long delivered = events.get() - events0;
        // What the subscribers added to the server's memory, each: what a subscriber costs.
        int everyone = allSubscribers > 0 ? allSubscribers : held;
        double rssPerSubscriberKib = everyone == 0 ? 0 : (rss - rss0) / (double) everyone;
        long cpuSelf = ProcStats.selfCpuMillis() - cpuSelf0;
        all.forEach(SseSubscriber::close);

        String line = String.format(Locale.ROOT,
                "%s: subscribers=%d held=%d heldAtEnd=%d errors=%d connectSeconds=%.1f serverCpuConnectMs=%d window=%.1fs events=%d events/s=%.0f "
                        + "heartbeats=%d latencyMs p50=%d p99=%d max=%d serverCpu=%.1f%% serverRssMiB=%.0f rssBeforeMiB=%.0f "
                        + "rssPerSubscriberKiB=%.1f heapMiB=%s "
                        + "storeLogReads/s=%s storeReadsPerEvent=%s dbConnectionsActive=%s clientCpuMs=%d",
                label, targets.size(), held, heldAtEnd, errors.get(), connectSeconds, serverCpuConnectMs, seconds, delivered, delivered / seconds,
                heartbeats.get(), latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue(),
                serverPids.length == 0 ? -1.0 : (cpu1 - cpu0) / (seconds * 10.0), rss / 1024.0, rss0 / 1024.0, rssPerSubscriberKib,
                metricsUri == null ? "n/a" : String.format(Locale.ROOT, "%.0f", heapMiB),
                metricsUri == null ? "n/a" : String.format(Locale.ROOT, "%.1f", reads / seconds),
                // Each event is delivered to every held subscriber: rows read per distinct event.
                metricsUri == null || delivered == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", rows / ((double) delivered / watchersPerStream(targets))),
                metricsUri == null ? "n/a" : String.format(Locale.ROOT, "%.0f", metrics.sum("hikaricp_connections_active", null)),
                cpuSelf);
        System.out.println(line);
        if (fromStart) {
            System.out.println(String.format(Locale.ROOT, "%s: replayed %d events to %d subscribers in %.1fs = %.0f events/s",
                    label, delivered, targets.size(), seconds, delivered / seconds));
        }
        if (out != null) {
            Files.writeString(out, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        return 0;
    }

    /** With --ready-dir: says this client has connected, then waits (up to 120 s) until every client of the run has. */
    private void awaitOtherClients() throws IOException, InterruptedException {
        if (readyDir == null) {
            return;
        }
        Files.createDirectories(readyDir);
        Files.writeString(readyDir.resolve(Long.toString(ProcessHandle.current().pid())), "connected\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (var ready = Files.list(readyDir)) {
                if (ready.count() >= readyCount) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }
}
