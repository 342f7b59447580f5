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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates jobs as fast as allowed and, with --wait, measures jobs completed per second end to end. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Create jobs; measure jobs/s.")
final class JobsCommand implements Callable<Integer> {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    @Option(names = "--server", defaultValue = "http://127.0.0.1:18090")
    URI server;

    @Option(names = "--count", defaultValue = "1000")
    int count;

    @Option(names = "--concurrency", defaultValue = "32")
    int concurrency;

    @Option(names = "--body", defaultValue = "{\"topic\":\"Benchmarks that tell the truth\",\"length\":\"short\"}")
    String body;

    @Option(names = "--wait", description = "Wait until all are completed (reads /metrics).")
    boolean waitForCompletion;

    @Option(names = "--urls-out", description = "Write each job's events URL to this file.")
    Path urlsOut;

    @Option(names = "--label", defaultValue = "jobs")
    String label;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Metrics metrics = new Metrics(server.resolve("/metrics"));
        double completed0 = metrics.refresh().sum("contentgen_jobs_finished_total", "status=\"completed\"");
        Semaphore inFlight = new Semaphore(concurrency);
        List<Future<String>> ids = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                ids.add(pool.submit(() -> {
                    try {
                        String answer = http.send(HttpRequest.newBuilder(server.resolve("/api/jobs"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        Matcher m = ID.matcher(answer);
                        return m.find() ? m.group(1) : null;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        double createSeconds = (System.nanoTime() - start) / 1e9;
        List<String> created = new ArrayList<>();
        for (Future<String> f : ids) {
            if (f.get() != null) {
                created.add(f.get());
            }
        }
        if (urlsOut != null) {
            Files.write(urlsOut, created.stream().map(id -> server.resolve("/api/jobs/" + id + "/events").toString()).toList());
        }
        String line = String.format(Locale.ROOT, "%s: created=%d in %.2fs (%.0f jobs/s created)", label, created.size(),
                createSeconds, created.size() / createSeconds);
        if (waitForCompletion) {
            double done;
            do {
                Thread.sleep(500); // a scrape is not free: poll gently so the tool does not slow the server
                done = metrics.refresh().sum("contentgen_jobs_finished_total", "status=\"completed\"") - completed0;
            } while (done < created.size() && (System.nanoTime() - start) / 1e9 < 600);
            double seconds = (System.nanoTime() - start) / 1e9;
            line += String.format(Locale.ROOT, "; completed=%.0f in %.2fs end to end (%.0f jobs/s completed)", done, seconds, done / seconds);
        }
        System.out.println(line);
        return 0;
    }
}
