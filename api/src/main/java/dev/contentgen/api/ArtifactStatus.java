package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An artifact grows while STREAMING, then is COMPLETED, or DISCARDED when its step was interrupted. */
public enum ArtifactStatus {
    STREAMING, COMPLETED, DISCARDED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
