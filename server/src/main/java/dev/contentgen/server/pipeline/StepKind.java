package dev.contentgen.server.pipeline;

import java.util.Locale;

/** What a pipeline step produces; the assembling kinds are built from earlier artifacts, not generated. */
public enum StepKind {
    OUTLINE, SECTION, SUMMARY, ARTICLE, HOOK, POSTS, THREAD;

    public boolean isAssembly() {
        return this == ARTICLE || this == THREAD;
    }

    /** The artifact kind on the wire. */
    public String artifactKind() {
        return name().toLowerCase(Locale.ROOT);
    }
}
