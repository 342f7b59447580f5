package dev.contentgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Publishes to an nchan channel at a fixed rate, each message stamped like a contentgen event ({@code "at"}). */
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Publish to nchan at a rate.")
final class PublishCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "nchan publisher URL, e.g. http://127.0.0.1:8091/pub?id=bench")
    URI url;

    @Option(names = "--rate", defaultValue = "20", description = "Messages per second.")
    double rate;

    @Option(names = "--size", defaultValue = "250", description = "Approximate payload bytes (a contentgen delta event is ~250).")
    int size;

    @Option(names = "--duration", defaultValue = "30")
    int durationSeconds;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String pad = "x".repeat(Math.max(0, size - 60));
        long interval = (long) (1_000_000_000L / rate);
        long next = System.nanoTime();
        long end = next + durationSeconds * 1_000_000_000L;
        long sent = 0;
        while (System.nanoTime() < end) {
            String body = "{\"seq\":" + (++sent) + ",\"at\":\"" + Instant.now() + "\",\"pad\":\"" + pad + "\"}";
            http.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            next += interval;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        System.out.println("published=" + sent);
        return 0;
    }
}
