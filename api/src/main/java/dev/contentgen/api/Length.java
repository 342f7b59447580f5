package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How long the piece is: the number of sections and the words in each. */
public enum Length {
    SHORT(3, 90), MEDIUM(4, 140), LONG(6, 200);

    private final int sections;
    private final int wordsPerSection;

    Length(int sections, int wordsPerSection) {
        this.sections = sections;
        this.wordsPerSection = wordsPerSection;
    }

    public int sections() {
        return sections;
    }

    public int wordsPerSection() {
        return wordsPerSection;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Length> parse(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName().equalsIgnoreCase(name)).findFirst();
    }
}
