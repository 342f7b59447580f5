package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import java.util.regex.Pattern;

/** Parses where a stream resumes: the Last-Event-ID header, else {@code ?after=}, else 0. */
final class ResumePoint {
    private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");

    private ResumePoint() {}

    static long parse(String lastEventId, String after) {
        // The header wins when both are present: it is what the browser's EventSource sends on reconnect.
        if (lastEventId != null && !lastEventId.isEmpty()) {
            return checked(lastEventId, "Last-Event-ID header");
        }
        if (after != null) {
            return checked(after, "'after' parameter");
        }
        return 0;
    }

    private static long checked(String value, String where) {
        if (!SEQ.matcher(value).matches()) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            throw new ApiException(ErrorCode.INVALID_LAST_EVENT_ID, "The " + where + " must be a non-negative integer "
                    + "(the seq of the last event received), not '" + shown.replaceAll("\\p{Cntrl}", "?") + "'.");
        }
        return Long.parseLong(value);
    }
}
