package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What kind of content a job produces, by the name of a format the server loaded (see
 * {@code GET /api/formats}). Only the name's shape is checked here; the server checks that it knows it.
 */
public record Format(String wireName) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
    public static final int MAX_NAME_LENGTH = 64;

    public static final Format ARTICLE = new Format("article");
    public static final Format SOCIAL_THREAD = new Format("social-thread");

    public Format {
        if (wireName == null || wireName.length() > MAX_NAME_LENGTH || !NAME.matcher(wireName).matches()) {
            throw new IllegalArgumentException("a format name is lowercase words joined by hyphens, such as "
                    + "\"blog-post\" (at most " + MAX_NAME_LENGTH + " characters): " + wireName);
        }
    }

    @JsonCreator
    static Format fromJson(String name) {
        return new Format(name);
    }

    @Override
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The format a well-shaped name (any case) names; empty for a malformed name. */
    public static Optional<Format> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.length() <= MAX_NAME_LENGTH && NAME.matcher(lower).matches() ? Optional.of(new Format(lower)) : Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
