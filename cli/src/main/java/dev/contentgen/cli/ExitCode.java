package dev.contentgen.cli;

import dev.contentgen.client.Failure;

/** The exit codes of the client commands, stable so scripts can branch on them (listed in the README). */
final class ExitCode {
    static final int COMPLETED = 0;
    static final int JOB_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int JOB_CANCELLED = 3;
    static final int UNREACHABLE = 4;
    static final int NOT_FOUND = 5;
    static final int UNAUTHORIZED = 6;
    static final int OTHER_ERROR = 7;
    /** 128 + SIGINT, as shells report a process stopped by Ctrl-C: the job goes on without us. */
    static final int DETACHED = 130;

    private ExitCode() {}

    static int of(Failure failure) {
        return switch (failure) {
            case Failure.Rejected r when r.status() == 404 -> NOT_FOUND;
            case Failure.Rejected r -> BAD_INPUT;
            case Failure.ServerUnreachable u -> UNREACHABLE;
            // Retryable failures only end a command once the retries ran out: the server is not usable now.
            case Failure.ServerUnavailable u -> UNREACHABLE;
            case Failure.ConnectionClosed c -> UNREACHABLE;
            case Failure.TimedOut t -> UNREACHABLE;
            case Failure.JobNotFound n -> NOT_FOUND;
            case Failure.Unauthorized u -> UNAUTHORIZED;
            case Failure.ErrorEvent e -> OTHER_ERROR;
            case Failure.UnexpectedResponse u -> OTHER_ERROR;
        };
    }
}
