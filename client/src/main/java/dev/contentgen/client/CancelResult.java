package dev.contentgen.client;

import dev.contentgen.api.Job;

/** The answer to a cancel: {@code stopping} when the job was running and stops at its next token, else it is cancelled already. */
public record CancelResult(Job job, boolean stopping) {}
