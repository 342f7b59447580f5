package dev.contentgen.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What webhooks cost: N jobs without a webhook, then N with one to a local receiver (jobs/s end to
 * end, the added time per job, the node's event-to-2xx time), then every delivery redelivered at
 * once (deliveries/s, without generation in the way). The node must run with --webhook-allow-private.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Measure deliveries/s and the added cost per job.")
final class WebhooksCommand implements Callable<Integer> {
    private static final long LIMIT_NANOS = 600_000_000_000L;

    @Option(names = "--server", defaultValue = "http://127.0.0.1:18090")
    URI server;

    @Option(names = "--count", defaultValue = "200")
    int count;

    @Option(names = "--warmup", defaultValue = "50", description = "Jobs without a webhook before anything is measured.")
    int warmup;

    @Option(names = "--concurrency", defaultValue = "32")
    int concurrency;

    @Option(names = "--label", defaultValue = "webhooks")
    String label;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong lastArrival = new AtomicLong();
    private Metrics metrics;

    @Override
    public Integer call() throws Exception {
        metrics = new Metrics(server.resolve("/metrics"));
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            lastArrival.set(System.nanoTime());
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        try {
            String plain = "{\"topic\":\"Webhooks that tell the truth\",\"length\":\"short\"}";
            String hooked = "{\"topic\":\"Webhooks that tell the truth\",\"length\":\"short\",\"webhook\":{\"url\":\"" + hook + "\"}}";
            runJobs(plain, warmup, false);
            double without = runJobs(plain, count, false);
            double with = runJobs(hooked, count, true);
            metrics.refresh();
            double eventTo2xxMs = 1000 * metrics.sum("contentgen_webhooks_delivery_seconds_sum", null)
                    / Math.max(1, metrics.sum("contentgen_webhooks_delivery_seconds_count", null));
            double attemptMs = 1000 * metrics.sum("contentgen_webhooks_latency_seconds_sum", null)
                    / Math.max(1, metrics.sum("contentgen_webhooks_latency_seconds_count", null));
            double redeliverSeconds = redeliverAll();
            System.out.println(String.format(Locale.ROOT,
                    "%s: %d jobs without a webhook %.2fs (%.0f jobs/s), with one %.2fs (%.0f jobs/s): +%.2f ms per job; "
                            + "event to 2xx mean %.1f ms, attempt mean %.1f ms; %d redeliveries in %.2fs (%.0f deliveries/s); received=%d distinct=%d",
                    label, count, without, count / without, with, count / with, 1000 * (with - without) / count,
                    eventTo2xxMs, attemptMs, count, redeliverSeconds, count / redeliverSeconds, received.get(), ids.size()));
        } finally {
            receiver.stop(0);
        }
        return 0;
    }

    /** Creates {@code n} jobs and waits until they completed (and, with {@code hooks}, were delivered); the seconds it took. */
    private double runJobs(String body, int n, boolean hooks) throws Exception {
        double completed0 = metrics.refresh().sum("contentgen_jobs_finished_total", "status=\"completed\"");
        int received0 = received.get();
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                pool.submit(() -> {
                    try {
                        return http.send(HttpRequest.newBuilder(server.resolve("/api/jobs")).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        while (System.nanoTime() - start < LIMIT_NANOS) {
            boolean done = metrics.refresh().sum("contentgen_jobs_finished_total", "status=\"completed\"") - completed0 >= n;
            if (done && (!hooks || received.get() - received0 >= n)) {
                break;
            }
            Thread.sleep(100);
        }
        long end = hooks ? Math.max(lastArrival.get(), start) : System.nanoTime();
        return (end - start) / 1e9;
    }

    /** Asks for every delivery again at once; the seconds until the receiver had them all. */
    private double redeliverAll() throws Exception {
        List<String> all = new ArrayList<>(ids);
        int received0 = received.get();
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : all) {
                // msg_<jobId>_<seq>
                String jobId = id.substring(4, id.lastIndexOf('_'));
                inFlight.acquire();
                pool.submit(() -> {
                    try {
                        return http.send(HttpRequest.newBuilder(server.resolve("/api/jobs/" + jobId + "/webhooks/" + id + "/redeliver"))
                                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        while (received.get() - received0 < all.size() && System.nanoTime() - start < LIMIT_NANOS) {
            Thread.sleep(20);
        }
        return (lastArrival.get() - start) / 1e9;
    }
}
