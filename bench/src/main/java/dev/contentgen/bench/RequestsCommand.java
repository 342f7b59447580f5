package dev.contentgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Sends one GET as fast as {@code --concurrency} callers can for {@code --duration}: requests/s and latency. */
@Command(name = "requests", mixinStandardHelpOptions = true, description = "Requests/s and latency of one GET.")
final class RequestsCommand implements Callable<Integer> {
    @Option(names = "--url", required = true)
    URI url;

    @Option(names = "--header", description = "NAME: VALUE, repeatable (e.g. the Authorization header).")
    List<String> headers = List.of();

    @Option(names = "--concurrency", defaultValue = "16")
    int concurrency;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds, after a 3 s warm-up.")
    int duration;

    @Option(names = "--label", defaultValue = "requests")
    String label;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).GET();
        for (String header : headers) {
            int colon = header.indexOf(':');
            builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        HttpRequest request = builder.build();
        ConcurrentHistogram latency = new ConcurrentHistogram(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long warmEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long end = warmEnd + Duration.ofSeconds(duration).toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        if (t0 >= warmEnd) {
                            latency.recordValue((System.nanoTime() - t0) / 1_000);
                            (status == 200 ? ok : failed).incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        System.out.println(String.format(Locale.ROOT, "%s: %.0f requests/s (%d ok, %d not 200) p50 %.2f ms p99 %.2f ms, concurrency %d, %d s",
                label, ok.get() / (double) duration, ok.get(), failed.get(), latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, concurrency, duration));
        return 0;
    }
}
