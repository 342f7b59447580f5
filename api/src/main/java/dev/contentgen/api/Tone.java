package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The voice the text is written in. */
public enum Tone {
    NEUTRAL, FRIENDLY, PROFESSIONAL, PLAYFUL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tone> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equalsIgnoreCase(name)).findFirst();
    }
}
