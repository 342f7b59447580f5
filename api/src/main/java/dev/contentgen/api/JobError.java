package dev.contentgen.api;

/** Why a job failed, as shown to the user. */
public record JobError(ErrorCode code, String message) {}
