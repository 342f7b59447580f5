package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What kind of content a job produces; each format is a fixed list of pipeline steps. */
public enum Format {
    ARTICLE("article", "Article: outline, sections, title and summary"),
    SOCIAL_THREAD("social-thread", "Social thread: a hook and a short numbered thread");

    private final String wireName;
    private final String description;

    Format(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static Optional<Format> parse(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
