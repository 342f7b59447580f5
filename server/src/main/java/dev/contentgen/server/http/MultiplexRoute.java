package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.auth.StreamTokens;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.stream.MultiplexOpener;
import dev.contentgen.server.stream.SseWriter;
import dev.contentgen.server.stream.StreamLog;
import dev.contentgen.server.stream.StreamOpening;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /api/events?job=ID[:AFTER]&job=…[&list=1][&snapshots=1]}: many jobs on one stream
 * (docs/PROTOCOL.md, "Many jobs on one stream"). Parses the jobs and their resume points (the
 * Last-Event-ID vector wins over the URL's), works out who may read each job, and answers as the
 * multiplexed opener decides: 204 when there is nothing left to send, else 200 and the stream.
 */
final class MultiplexRoute {
    static final String PATH = "/api/events";
    /** Jobs one stream may carry: a browser's URL stays well under the 8 KiB request-line limit. */
    static final int MAX_JOBS = 100;
    private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");

    private final MultiplexOpener opener;
    private final StreamTokens tokens;
    private final StreamResponder responder;

    MultiplexRoute(MultiplexOpener opener, StreamTokens tokens, StreamResponder responder) {
        this.opener = opener;
        this.tokens = tokens;
        this.responder = responder;
    }

    /** A job of the request and its resume point. */
    private record Asked(String jobId, long after) {}

    void handle(Context ctx) throws IOException {
        boolean list = "1".equals(ctx.queryParam("list"));
        Principal caller = Caller.optional(ctx);
        if (caller == null && (list || ctx.queryParams("token").isEmpty())) {
            // Who asks comes before what is asked, as on the per-job stream; a stream token never reads the job list.
            throw Caller.unauthorized();
        }
        List<Asked> asked = resumed(jobs(ctx.queryParams("job"), list), ctx.header("Last-Event-ID"));
        List<MultiplexOpener.Wanted> wanted = new ArrayList<>(asked.size());
        String quotaOwner;
        JobScope listScope = null;
        if (caller != null) {
            asked.forEach(a -> wanted.add(new MultiplexOpener.Wanted(a.jobId(), a.after(), caller.scope())));
            // Local mode has one trusted owner and no stream limit.
            quotaOwner = caller instanceof Principal.LocalUser ? null : caller.owner();
            listScope = list ? caller.scope() : null;
        } else {
            quotaOwner = byTokens(ctx.queryParams("token"), asked, wanted);
        }
        boolean takesSnapshots = "1".equals(ctx.queryParam("snapshots"));
        Optional<StreamOpening.Streamed> streamed = opener.open(wanted, listScope, quotaOwner, takesSnapshots);
        if (streamed.isEmpty()) {
            ctx.status(204);
            return;
        }
        responder.respond(ctx, streamed.get());
    }

    /**
     * Without a credential, each job needs a stream token of its own ({@code token} repeated); a job without one is
     * not found, as another owner's. The owner whose limit the stream counts against: the first token's.
     */
    private String byTokens(List<String> given, List<Asked> asked, List<MultiplexOpener.Wanted> wanted) {
        String owner = null;
        boolean expired = false;
        for (Asked a : asked) {
            JobScope scope = null;
            for (String token : given) {
                StreamTokens.Check check = tokens.check(token, a.jobId());
                if (check instanceof StreamTokens.Check.Valid valid) {
                    scope = valid.reader().scope();
                    owner = owner != null ? owner : valid.reader().owner();
                    break;
                }
                expired |= check instanceof StreamTokens.Check.Expired;
            }
            wanted.add(new MultiplexOpener.Wanted(a.jobId(), a.after(), scope));
        }
        if (owner == null) {
            // Never the token itself: it is a credential.
            StreamLog.endedWithoutStream(String.join(",", asked.stream().map(Asked::jobId).toList()),
                    expired ? "stream_token_expired" : "stream_token_invalid", "(multiplexed)");
            throw expired
                    ? new ApiException(ErrorCode.STREAM_TOKEN_EXPIRED, "The stream tokens expired. Get new ones (POST /api/jobs/{id}/stream-token) "
                            + "and reconnect with the same Last-Event-ID; nothing is lost.")
                    : new ApiException(ErrorCode.UNAUTHORIZED, "None of the stream tokens is one this server issued for these jobs.");
        }
        return owner;
    }

    /** The {@code job} parameters: 1..{@value #MAX_JOBS} distinct ids, each with an optional {@code :AFTER}; none only with the list. */
    private static List<Asked> jobs(List<String> params, boolean list) {
        if (params.isEmpty() && !list) {
            throw new ApiException(ErrorCode.INVALID_JOB_ID, "Name at least one job: /api/events?job=ID (or ask for the job list with list=1).");
        }
        if (params.size() > MAX_JOBS) {
            throw new ApiException(ErrorCode.TOO_MANY_JOBS, "One stream carries at most " + MAX_JOBS + " jobs, not " + params.size()
                    + ". Open a second stream for the rest.");
        }
        List<Asked> asked = new ArrayList<>(params.size());
        Set<String> seen = new HashSet<>();
        for (String param : params) {
            int colon = param.indexOf(':');
            String id = colon < 0 ? param : param.substring(0, colon);
            if (!JobIds.isJobId(id)) {
                throw new ApiException(ErrorCode.INVALID_JOB_ID, "'" + shown(id) + "' is not a job id.");
            }
            if (!seen.add(id)) {
                throw new ApiException(ErrorCode.TOO_MANY_JOBS, "Job " + id + " is named twice; name each job once.");
            }
            long after = colon < 0 ? 0 : seq(param.substring(colon + 1), "resume point of job " + id);
            asked.add(new Asked(id, after));
        }
        return asked;
    }

    /** The URL's resume points, or the Last-Event-ID vector's when the browser sent one (one element per job, in order). */
    private static List<Asked> resumed(List<Asked> asked, String lastEventId) {
        if (lastEventId == null || lastEventId.isEmpty()) {
            return asked;
        }
        String[] points = lastEventId.split(",", -1);
        if (points.length != asked.size()) {
            throw new ApiException(ErrorCode.INVALID_LAST_EVENT_ID, "The Last-Event-ID header has " + points.length
                    + " resume point(s) for " + asked.size() + " job(s); it must have one per job parameter, in their order.");
        }
        List<Asked> out = new ArrayList<>(asked.size());
        for (int i = 0; i < points.length; i++) {
            out.add(new Asked(asked.get(i).jobId(), seq(points[i], "Last-Event-ID element " + (i + 1))));
        }
        return out;
    }

    private static long seq(String value, String where) {
        if (!SEQ.matcher(value).matches()) {
            throw new ApiException(ErrorCode.INVALID_LAST_EVENT_ID, "The " + where + " must be a non-negative integer "
                    + "(the seq of the last event received), not '" + shown(value).replaceAll("\\p{Cntrl}", "?") + "'.");
        }
        return Long.parseLong(value);
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /** The store failed before the stream could open (e.g. checking the caller's key): 200 and a retryable error event, as per job. */
    void storeUnavailable(Context ctx, RuntimeException cause) {
        String label = "(multiplexed)";
        StreamLog.error(label, "cannot open stream, store unavailable: " + cause.getMessage());
        try (StreamOpening.Streamed answer = opener.storeUnavailable(label)) {
            StreamResponder.startEventStream(ctx);
            answer.start(new SseWriter(UnbufferedOutput.of(ctx.res().getOutputStream()))).join();
        } catch (IOException e) {
            StreamLog.endedWithoutStream(label, "client_closed", "(before the store-unavailable answer)");
        }
    }
}
