package dev.contentgen.cli;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.client.ContentGenException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code contentgen doctor URL}: checks a deployment path (proxy, CDN) as a browser would use it —
 * buffering, compression, heartbeats, idle cuts, HTTP version — and says how to fix what is wrong.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks that event streams work through URL (e.g. your nginx or CDN in front of contentgen).",
                "It creates a short probe job, watches its stream, then an idle stream, and cancels the job.",
                "Exit codes: 0 no problem found (warnings, each with its remedy, may be printed), 1 problems found (each with its fix), 4 unreachable, 6 unauthorized."})
final class DoctorCommand implements Callable<Integer> {
    /** An event should pass a proxy at once; this much later means something holds it back. */
    private static final Duration BUFFERED_AFTER = Duration.ofMillis(1500);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The URL clients use to reach contentgen.")
    URI url;

    @Option(names = "--heartbeat", defaultValue = "15s",
            description = "The server's heartbeat interval, as configured with serve --heartbeat (default ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--api-key", defaultValue = "${env:CONTENTGEN_API_KEY}", description = "API key (env CONTENTGEN_API_KEY).")
    String apiKey;

    /** One finding, with the fix when it is a problem. */
    record Check(Verdict verdict, String name, String finding, String fix) {
        static Check ok(String name, String finding) {
            return new Check(Verdict.OK, name, finding, null);
        }

        static Check unknown(String name, String finding) {
            return new Check(Verdict.UNKNOWN, name, finding, null);
        }

        static Check problem(String name, String finding, String fix) {
            return new Check(Verdict.FIX, name, finding, fix);
        }

        /** Streams work, but a person will hit a limit: said, with what to do, without failing the check. */
        static Check warning(String name, String finding, String fix) {
            return new Check(Verdict.WARN, name, finding, fix);
        }
    }

    enum Verdict { OK, UNKNOWN, WARN, FIX }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI base = URI.create(url.toString().endsWith("/") ? url.toString() : url + "/");
        Duration idleWatch = heartbeat.multipliedBy(2).plusSeconds(1);
        out.println("contentgen doctor: checking " + base + " (this takes about " + idleWatch.toSeconds() + " s)");
        out.flush();
        try (ContentGenClient client = ContentGenClient.builder().baseUrl(base).apiKey(apiKey).build();
             HttpClient http = HttpClient.newHttpClient()) {
            Job probe = client.jobs().create(new JobRequest("contentgen doctor probe", null, null, Length.SHORT));
            List<Check> checks = new ArrayList<>();
            // Both at once while the probe runs: its whole stream, and one waiting beyond its end that only heartbeats keep alive.
            try (StreamProbe live = StreamProbe.open(http, base, apiKey, probe.id(), 0);
                 StreamProbe idle = StreamProbe.open(http, base, apiKey, probe.id(), Long.MAX_VALUE / 1000)) {
                Check buffering = buffering(live);
                awaitUntil(() -> idle.endedAfter() != null, idleWatch);
                checks.addAll(List.of(httpVersion(live), compression(live), buffering, idleStream(idle, idleWatch)));
            }
            cancelQuietly(client, probe);
            return report(out, checks);
        } catch (ContentGenException e) {
            err.println("contentgen doctor: " + e.getMessage());
            return ExitCode.of(e.failure());
        }
    }

    private Check httpVersion(StreamProbe probe) {
        if (probe.response() == null) {
            return Check.unknown("HTTP version", "unknown: no response headers yet");
        }
        if (probe.response().version() == HttpClient.Version.HTTP_2) {
            return Check.ok("HTTP version", "HTTP/2: a browser carries every tab's streams and requests on one connection");
        }
        // Browsers speak HTTP/2 only over TLS, so a plain http:// URL always means HTTP/1.1 for them.
        return Check.warning("HTTP version", "HTTP/1.1: a browser opens at most six connections to this host and each open "
                        + "stream holds one, so a seventh tab on a running job waits (and so does every request of every tab)",
                "serve HTTP/2 to browsers: TLS on the node (contentgen serve --tls-cert FILE --tls-key FILE), or HTTP/2 at the proxy "
                        + "(nginx: listen 443 ssl; http2 on;); or watch many jobs through the web UI's shared connection (its tabs share one stream)");
    }

    private Check compression(StreamProbe probe) {
        if (probe.response() == null) {
            return Check.unknown("compression", "unknown: no response headers yet");
        }
        if (!probe.compressed()) {
            return Check.ok("compression", "none on the stream");
        }
        return Check.problem("compression", "the stream is compressed ("
                + probe.response().headers().firstValue("Content-Encoding").orElse("") + "): a compressor holds events back until its buffer fills",
                "exclude text/event-stream from compression (nginx: leave it out of gzip_types; CDNs: disable compression for /api/jobs/*/events)");
    }

    private Check buffering(StreamProbe probe) throws InterruptedException {
        // The probe job's first event (its pending status) exists before the stream opens.
        awaitUntil(() -> probe.firstEventAfter() != null || probe.endedAfter() != null, BUFFERED_AFTER);
        Duration first = probe.firstEventAfter();
        if (first != null && first.compareTo(BUFFERED_AFTER) < 0) {
            return Check.ok("buffering", "the first event arrived after " + seconds(first));
        }
        return Check.problem("buffering", first == null ? "no event arrived within " + seconds(BUFFERED_AFTER) + ", though the server had sent one"
                + (probe.response() == null ? " (not even the response headers)" : "")
                : "the first event arrived only after " + seconds(first),
                "turn off response buffering for the stream (nginx: proxy_buffering off; and do not ignore the X-Accel-Buffering header)");
    }

    private Check idleStream(StreamProbe probe, Duration watch) throws InterruptedException {
        if (probe.response() != null && probe.response().statusCode() != 200) {
            return Check.unknown("idle stream", "could not open one (status " + probe.response().statusCode()
                    + "): the probe job finished first; run the doctor again");
        }
        List<Duration> beats = probe.heartbeats();
        Duration ended = probe.endedAfter();
        if (ended != null && beats.isEmpty()) {
            return Check.problem("idle stream", "cut after " + seconds(ended) + " without data, before the first heartbeat (due every "
                    + seconds(heartbeat) + ")", "let idle streams live longer than the heartbeat interval (nginx: proxy_read_timeout "
                    + "well above it, e.g. 60s; load balancers: raise the idle timeout)");
        }
        if (beats.isEmpty()) {
            return Check.problem("heartbeats", "none arrived in " + seconds(watch) + " (due every " + seconds(heartbeat) + ")",
                    "heartbeats are held back: turn off buffering for the stream (nginx: proxy_buffering off)");
        }
        Duration late = heartbeat.plus(heartbeat.dividedBy(2));
        Duration firstBeat = beats.getFirst();
        String finding = "the first arrived after " + seconds(firstBeat) + " (due every " + seconds(heartbeat) + ")"
                + (ended != null ? "; then the stream was cut after " + seconds(ended) : "");
        if (firstBeat.compareTo(late) > 0 || ended != null) {
            return Check.problem("heartbeats", finding, "heartbeats arrive late or the idle stream was cut: check buffering and idle timeouts on the path");
        }
        return Check.ok("heartbeats", finding);
    }

    private static int report(PrintWriter out, List<Check> checks) {
        long problems = checks.stream().filter(c -> c.verdict() == Verdict.FIX).count();
        long warnings = checks.stream().filter(c -> c.verdict() == Verdict.WARN).count();
        for (Check c : checks) {
            String mark = switch (c.verdict()) {
                case OK -> "ok";
                case UNKNOWN -> "?";
                case WARN -> "warn";
                case FIX -> "FIX";
            };
            out.printf("%-4s %-12s %s%n", mark, c.name(), c.finding());
            if (c.fix() != null) {
                out.println("                  " + (c.verdict() == Verdict.WARN ? "to do: " : "fix: ") + c.fix());
            }
        }
        out.println(problems == 0 ? "verdict: event streams work through this URL." + (warnings == 0 ? "" : " (" + warnings + " warning(s) above)")
                : "verdict: " + problems + " problem(s) on this path; streams will stall or die until they are fixed.");
        out.flush();
        return problems == 0 ? ExitCode.COMPLETED : ExitCode.JOB_FAILED;
    }

    private static void cancelQuietly(ContentGenClient client, Job probe) {
        try {
            client.jobs().cancel(probe.id());
        } catch (ContentGenException e) {
            // The probe may have finished already; nothing is left running either way.
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() - end < 0) {
            Thread.sleep(20);
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
