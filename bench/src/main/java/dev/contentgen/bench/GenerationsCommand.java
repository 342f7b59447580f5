package dev.contentgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many generations can run at once: times one job alone, then starts N at once (spread over
 * the given nodes), each with one subscriber from its creation, and reports how much longer a
 * job takes under load (stretch), how long jobs waited to start, delivery latency (all of it, and
 * of the events committed once every job was running, past the burst of creations and openings),
 * events written per second, the store's
 * write transactions per event, bytes written per byte of content, and server, database and load-client CPU.
 */
@Command(name = "generations", mixinStandardHelpOptions = true, description = "N concurrent jobs, one subscriber each.")
final class GenerationsCommand implements Callable<Integer> {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern TEXT = Pattern.compile("\"text\":\"((?:[^\"\\\\]++|\\\\.)*+)\"");

    @Option(names = "--server", split = ",", required = true, description = "Node base URL(s); jobs are created on each in turn.")
    List<URI> servers;

    @Option(names = "--n", defaultValue = "100", description = "Concurrent jobs.")
    int n;

    @Option(names = "--body", defaultValue = "{\"topic\":\"How many generations run at once\",\"length\":\"short\"}")
    String body;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for the jobs to end.")
    int timeoutSeconds;

    @Option(names = "--server-pid", split = ",", description = "Node process id(s): CPU (and, for SQLite, bytes written).")
    long[] serverPids = new long[0];

    @Option(names = "--db-process", description = "Name of the database's processes (postgres): their CPU is summed.")
    String dbProcess;

    @Option(names = "--wal-bytes-command", description = "A shell command printing the database's WAL position in bytes (PostgreSQL).")
    String walBytesCommand;

    @Option(names = "--label", defaultValue = "generations")
    String label;

    private final HttpClient http = HttpClient.newHttpClient();

    @Option(names = "--rounds", defaultValue = "1",
            description = "Rounds of N jobs, one after another on the same nodes: the first meets fresh processes (their code not yet compiled by the JIT), the later ones warm ones.")
    int rounds;

    @Override
    public Integer call() throws Exception {
        Run alone = run(1, 0);
        long aloneMillis = alone.durations.get(0);
        for (int round = 1; round <= rounds; round++) {
            measureRound(round, aloneMillis);
        }
        return 0;
    }

    /** One round of N jobs at once, reported on one line. */
    private void measureRound(int round, long aloneMillis) throws Exception {
        List<Metrics> metrics = servers.stream().map(s -> new Metrics(s.resolve("/metrics")).refresh()).toList();
        double tx0 = sum(metrics, "contentgen_store_transactions_total");
        double written0 = sum(metrics, "contentgen_store_events_written_total");
        long io0 = bytesWritten();
        long wal0 = walBytes();
        long cpu0 = ProcStats.sumOf(serverPids, true);
        long db0 = ProcStats.sumOf(dbPids(), true);
        long[] self = {ProcessHandle.current().pid()};
        long client0 = ProcStats.sumOf(self, true);
        long start = System.nanoTime();
        Run load = run(n, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu1 = ProcStats.sumOf(serverPids, true);
        long db1 = ProcStats.sumOf(dbPids(), true);
        long client1 = ProcStats.sumOf(self, true);
        long wal1 = walBytes();
        long io1 = bytesWritten();
        metrics.forEach(Metrics::refresh);
        double tx = sum(metrics, "contentgen_store_transactions_total") - tx0;
        double written = sum(metrics, "contentgen_store_events_written_total") - written0;

        List<Long> sorted = load.durations.stream().sorted().toList();
        long bytes = walBytesCommand != null ? wal1 - wal0 : io1 - io0;
        String line = String.format(Locale.ROOT,
                "%s: n=%d ended=%d failed=%d alone=%.1fs stretch p50=%.2f p90=%.2f max=%.2f createMs p50=%d p90=%d startedMs p50=%d p90=%d events/s=%.0f "
                        + "latencyMs p50=%d p99=%d max=%d onceAllRunning p99=%d txPerEvent=%.4f %s=%.1f logBytesPerContentByte=%.1f contentBytes=%d serverCpu=%.0f%% dbCpu=%s clientCpu=%.0f%% window=%.0fs",
                label + (rounds > 1 ? ", round " + round + "/" + rounds : ""), n, load.durations.size(), load.failures.get(), aloneMillis / 1e3,
                stretch(sorted, 0.5, aloneMillis), stretch(sorted, 0.9, aloneMillis), stretch(sorted, 1.0, aloneMillis),
                quantile(load.creations, 0.5), quantile(load.creations, 0.9), quantile(load.starts, 0.5), quantile(load.starts, 0.9),
                written / seconds, load.latency.getValueAtPercentile(50), load.latency.getValueAtPercentile(99),
                load.latency.getMaxValue(), load.latencyOnceAllRan.getValueAtPercentile(99), written == 0 ? Double.NaN : tx / written,
                walBytesCommand != null ? "walBytesPerContentByte" : "fileBytesPerContentByte",
                load.contentBytes.get() == 0 ? Double.NaN : (double) bytes / load.contentBytes.get(),
                load.contentBytes.get() == 0 ? Double.NaN : (double) load.eventBytes.get() / load.contentBytes.get(), load.contentBytes.get(),
                (cpu1 - cpu0) / (seconds * 10.0), dbProcess == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", (db1 - db0) / (seconds * 10.0)),
                (client1 - client0) / (seconds * 10.0), seconds);
        System.out.println(line);
    }

    /** The quantile of {@code values} (0 when there are none). */
    private static long quantile(List<Long> values, double quantile) {
        List<Long> sorted = List.copyOf(values).stream().sorted().toList();
        return sorted.isEmpty() ? 0 : atQuantile(sorted, quantile);
    }

    private static double stretch(List<Long> sorted, double quantile, long alone) {
        return sorted.isEmpty() ? Double.NaN : (double) atQuantile(sorted, quantile) / alone;
    }

    /** The value at {@code quantile} of a sorted, non-empty list (nearest rank). */
    private static long atQuantile(List<Long> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)));
    }

    /** What one batch of jobs measured: each job's time from its creation to its end, its creating request's and its wait to run, delivery latency, content. */
    private record Run(int count, List<Long> durations, List<Long> creations, List<Long> starts, ConcurrentHistogram latency,
                       ConcurrentHistogram latencyOnceAllRan, AtomicLong allRunningAt, AtomicLong contentBytes, AtomicLong eventBytes,
                       AtomicLong failures) {}

    /** Creates {@code count} jobs at once, each followed by one subscriber, and waits until all ended. */
    private Run run(int count, int offset) throws Exception {
        Run result = new Run(count, java.util.Collections.synchronizedList(new ArrayList<>()),
                java.util.Collections.synchronizedList(new ArrayList<>()), java.util.Collections.synchronizedList(new ArrayList<>()), new ConcurrentHistogram(3_600_000L, 3),
                new ConcurrentHistogram(3_600_000L, 3), new AtomicLong(Long.MAX_VALUE), new AtomicLong(), new AtomicLong(), new AtomicLong());
        CountDownLatch ended = new CountDownLatch(count);
        Semaphore creating = new Semaphore(32);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                URI server = servers.get((i + offset) % servers.size());
                creating.acquire();
                pool.submit(() -> {
                    try {
                        follow(server, creating, ended, result);
                    } catch (RuntimeException | Error e) {
                        // Counted as a failed job, never a hang: the latch must still reach zero.
                        result.failures.incrementAndGet();
                        ended.countDown();
                        throw e;
                    }
                });
            }
            if (!ended.await(timeoutSeconds, TimeUnit.SECONDS)) {
                System.err.println(label + ": " + ended.getCount() + " jobs did not end within " + timeoutSeconds + " s");
            }
            pool.shutdownNow();
        }
        return result;
    }

    private void follow(URI server, Semaphore creating, CountDownLatch ended, Run result) {
        long created = System.nanoTime();
        String id;
        try {
            String answer = http.send(HttpRequest.newBuilder(server.resolve("/api/jobs")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = ID.matcher(answer);
            id = m.find() ? m.group(1) : null;
        } catch (Exception e) {
            id = null;
        } finally {
            creating.release();
        }
        result.creations.add((System.nanoTime() - created) / 1_000_000);
        if (id == null) {
            result.failures.incrementAndGet();
            ended.countDown();
            return;
        }
        boolean[] completed = {false};
        boolean[] started = {false};
        long[] connectedAt = {Long.MAX_VALUE};
        new SseSubscriber(server.resolve("/api/jobs/" + id + "/events"), new SseSubscriber.Sink() {
            @Override
            public void connected() {
                connectedAt[0] = System.currentTimeMillis();
            }

            @Override
            public void event(long latencyMillis) {
                // Delivery latency of live events only: those written before the stream opened were waiting for it, not late.
                long at = System.currentTimeMillis() - latencyMillis;
                if (latencyMillis >= 0 && at >= connectedAt[0]) {
                    result.latency.recordValue(Math.min(latencyMillis, 3_600_000L));
                    if (at >= result.allRunningAt.get()) {
                        result.latencyOnceAllRan.recordValue(Math.min(latencyMillis, 3_600_000L));
                    }
                }
            }

            @Override
            public void heartbeat() {}

            @Override
            public void data(String line) {
                result.eventBytes.addAndGet(line.length() - "data: ".length());
                if (!started[0] && line.contains("\"status\":\"running\"")) {
                    started[0] = true;
                    result.starts.add((System.nanoTime() - created) / 1_000_000);
                    if (result.starts.size() == result.count()) {
                        result.allRunningAt.set(System.currentTimeMillis());
                    }
                }
                if (line.contains("\"type\":\"artifact.delta\"")) {
                    Matcher text = TEXT.matcher(line);
                    if (text.find()) {
                        result.contentBytes.addAndGet(text.group(1).length());
                    }
                } else if (line.contains("\"status\":\"completed\"") && line.contains("\"type\":\"status\"")) {
                    completed[0] = true;
                }
            }

            @Override
            public void ended(String why) {
                if (completed[0]) {
                    result.durations.add((System.nanoTime() - created) / 1_000_000);
                } else {
                    result.failures.incrementAndGet();
                }
                ended.countDown();
            }
        }).run();
    }

    private static double sum(List<Metrics> metrics, String name) {
        return metrics.stream().mapToDouble(m -> m.sum(name, null)).sum();
    }

    /** Bytes the node processes caused to be written to storage (SQLite: its WAL and database file). */
    private long bytesWritten() {
        long total = 0;
        for (long pid : serverPids) {
            try {
                total += Files.readAllLines(Path.of("/proc/" + pid + "/io")).stream().filter(l -> l.startsWith("write_bytes:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
            } catch (Exception e) {
                return -1;
            }
        }
        return total;
    }

    private long walBytes() throws Exception {
        if (walBytesCommand == null) {
            return 0;
        }
        Process p = new ProcessBuilder("sh", "-c", walBytesCommand).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return Long.parseLong(out);
    }

    private long[] dbPids() {
        if (dbProcess == null) {
            return new long[0];
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Files.readString(p.resolve("comm")).strip().equals(dbProcess);
                } catch (Exception e) {
                    return false;
                }
            }).mapToLong(p -> Long.parseLong(p.getFileName().toString())).toArray();
        } catch (Exception e) {
            return new long[0];
        }
    }
}
