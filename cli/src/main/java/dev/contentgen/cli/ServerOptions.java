package dev.contentgen.cli;

import dev.contentgen.client.ClientListener;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.client.ContentGenException;
import dev.contentgen.client.Failure;
import dev.contentgen.client.RetryPolicy;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every client command shares: which server, which key, how hard to try. */
final class ServerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--server", defaultValue = "${env:CONTENTGEN_SERVER:-http://localhost:8080}",
            description = "The contentgen server (env CONTENTGEN_SERVER; default ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = "--api-key", defaultValue = "${env:CONTENTGEN_API_KEY}",
            description = "API key, sent as a Bearer token (env CONTENTGEN_API_KEY; default none).")
    String apiKey;

    @Option(names = "--connect-attempts", defaultValue = "6",
            description = "Attempts to reach the server before giving up with exit code 4 (default ${DEFAULT-VALUE}).")
    int connectAttempts;

    /** A client that reports retries, reconnections and the server's error events on {@code err}. */
    ContentGenClient client(PrintWriter err) {
        if (connectAttempts < 1) {
            throw new ParameterException(command.commandLine(), "--connect-attempts must be at least 1");
        }
        RetryPolicy defaults = RetryPolicy.defaults();
        return ContentGenClient.builder()
                .baseUrl(server)
                .apiKey(apiKey)
                .retry(new RetryPolicy(defaults.initialDelay(), defaults.maxDelay(), connectAttempts))
                .idleTimeout(Duration.ofSeconds(45))
                .listener(new Reporter(err))
                .build();
    }

    /**
     * Runs a command's work with a client and the shared error handling: a failure's message on
     * stderr and its exit code.
     */
    int withClient(Function<ContentGenClient, Integer> work) {
        PrintWriter stderr = command.commandLine().getErr();
        try (ContentGenClient client = client(stderr)) {
            return work.apply(client);
        } catch (ContentGenException e) {
            stderr.println("contentgen: " + e.getMessage());
            return ExitCode.of(e.failure());
        }
    }

    /** Tells the person at the terminal what the SDK is doing about trouble. */
    private static final class Reporter implements ClientListener {
        private final PrintWriter err;
        private volatile boolean reconnecting;

        Reporter(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onRetrying(Retrying retrying) {
            reconnecting = true;
            say(retrying.describe());
        }

        @Override
        public void onConnected(String jobId, long afterSeq) {
            if (reconnecting) {
                reconnecting = false;
                say("reconnected; resuming after event " + afterSeq);
            }
        }

        @Override
        public void onErrorEvent(String jobId, Failure.ErrorEvent error) {
            say("the server says: " + error.message() + " (" + error.code() + (error.retryable() ? ", retrying" : "") + ")");
        }

        private void say(String line) {
            err.println("contentgen: " + line);
            err.flush();
        }
    }
}
