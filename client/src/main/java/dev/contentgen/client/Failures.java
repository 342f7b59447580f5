package dev.contentgen.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what java.net.http throws, and what the server answers, into one {@link Failure}. */
final class Failures {
    // A newer server may send codes this SDK does not know; they read as null instead of failing.
    private static final ObjectReader PROBLEMS = Json.MAPPER.readerFor(Problem.class)
            .with(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

    private Failures() {}

    static Failure ofException(Throwable thrown, URI server) {
        Throwable e = unwrap(thrown);
        String why = rootMessage(e);
        if (e instanceof HttpConnectTimeoutException) {
            return new Failure.ServerUnreachable(server, "Cannot reach the server at " + server + ": the connection timed out.");
        }
        if (e instanceof HttpTimeoutException) {
            return new Failure.TimedOut(null, "The server at " + server + " did not answer in time.");
        }
        if (isUnresolved(e)) {
            return new Failure.ServerUnreachable(server, "Cannot reach the server at " + server + ": unknown host '" + server.getHost() + "'.");
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            // java.net.http often reports a refused connection as a ConnectException without a message.
            String reason = why.equals(e.getClass().getSimpleName()) ? "connection refused" : why;
            return new Failure.ServerUnreachable(server, "Cannot reach the server at " + server + ": " + reason
                    + ". Is it running, and is the URL right?");
        }
        return new Failure.ConnectionClosed("The connection to " + server + " was closed before the answer was complete ("
                + why + ").");
    }

    /** A non-success answer; {@code jobId} names the job the request was about, if any. */
    static Failure ofStatus(int status, String contentType, String body, String retryAfter, String jobId, URI server) {
        Problem problem = problem(contentType, body);
        ErrorCode code = problem == null ? null : problem.code();
        String detail = problem != null && problem.detail() != null ? problem.detail() : excerpt(body);
        if (status == 401 || status == 403) {
            return new Failure.Unauthorized(status, "The server refused the request (" + status + "): " + detail
                    + " Check the API key (CONTENTGEN_API_KEY).");
        }
        if (status == 404 && code == ErrorCode.JOB_NOT_FOUND) {
            return new Failure.JobNotFound(jobId, detail);
        }
        if (status == 404 && code != null && code != ErrorCode.ROUTE_NOT_FOUND) {
            // Something the route looked for is missing (a key, a webhook delivery): the route exists.
            return new Failure.Rejected(status, code, detail);
        }
        if (status == 404) {
            return new Failure.UnexpectedResponse("The server at " + server + " has no such endpoint (404): " + detail
                    + " Is the URL the contentgen server?");
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500 && status <= 599) {
            return new Failure.ServerUnavailable(status, code, seconds(retryAfter),
                    "The server is unavailable (" + status + (code == null ? "" : " " + code) + "): " + detail);
        }
        if (status >= 400 && status <= 499) {
            return new Failure.Rejected(status, code, detail);
        }
        return new Failure.UnexpectedResponse("Unexpected answer " + status + " from " + server + ": " + detail);
    }

    private static Problem problem(String contentType, String body) {
        if (body == null || body.isBlank() || contentType == null || !contentType.contains("json")) {
            return null;
        }
        try {
            return PROBLEMS.readValue(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(no details in the answer)";
        }
        String text = body.strip().replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static Duration seconds(String retryAfter) {
        if (retryAfter == null || !retryAfter.strip().matches("\\d{1,6}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean isUnresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        String message = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message.toLowerCase(java.util.Locale.ROOT).startsWith("connection refused") ? "connection refused" : message;
    }
}
