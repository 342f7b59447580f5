package dev.contentgen.server.pipeline.providers;

import java.time.Duration;

/** How long a provider may stay silent: before its first token, and between two tokens. */
public record StreamTimeouts(Duration firstToken, Duration gap) {}
