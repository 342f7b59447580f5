package dev.contentgen.server.http;

import java.util.regex.Pattern;

/** Recognises job ids in paths and cursors before they reach the store. */
final class JobIds {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private JobIds() {}

    static boolean isJobId(String value) {
        return value != null && UUID.matcher(value).matches();
    }

    /** An id as an error message may quote it: cut short, since it is the client's text. */
    static String shown(String id) {
        return id.length() > 60 ? id.substring(0, 60) + "…" : id;
    }
}
