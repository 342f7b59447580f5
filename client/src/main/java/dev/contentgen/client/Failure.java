package dev.contentgen.client;

import dev.contentgen.api.ErrorCode;
import java.net.URI;
import java.time.Duration;

/** Why a call or one connection of a stream failed; each kind says whether retrying can help. */
public sealed interface Failure {

    /** True when the SDK retries (or reconnects) by itself after this failure. */
    boolean retryable();

    /** A sentence a person can act on. */
    String message();

    /** The connection ended before the answer did: the server or a proxy closed or reset it. Retried. */
    record ConnectionClosed(String message) implements Failure {
        public boolean retryable() {
            return true;
        }
    }

    /** Nothing arrived in time: no response, or no byte (event or heartbeat) within the idle timeout. Retried. */
    record TimedOut(Duration after, String message) implements Failure {
        public boolean retryable() {
            return true;
        }
    }

    /** No connection could be made (refused, unknown host, connect timeout). Retried up to the policy's limit. */
    record ServerUnreachable(URI server, String message) implements Failure {
        public boolean retryable() {
            return true;
        }
    }

    /** The server answered 429 or 5xx: busy, restarting or failing. Retried, after {@code retryAfter} when it said so. */
    record ServerUnavailable(int status, ErrorCode code, Duration retryAfter, String message) implements Failure {
        public boolean retryable() {
            return true;
        }
    }

    /** The server sent {@code event: error} on the stream; retried when the server says it is retryable. */
    record ErrorEvent(ErrorCode code, String message, boolean retryable) implements Failure {}

    /** 401 or 403: the API key is missing, wrong, or not allowed to do this. Not retried. */
    record Unauthorized(int status, String message) implements Failure {
        public boolean retryable() {
            return false;
        }
    }

    /** 404: there is no such job (or it is not yours). Not retried. */
    record JobNotFound(String jobId, String message) implements Failure {
        public boolean retryable() {
            return false;
        }
    }

    /** Any other 4xx: the request itself is wrong; carries the problem's {@code code} and {@code detail}. Not retried. */
    record Rejected(int status, ErrorCode code, String detail) implements Failure {
        public boolean retryable() {
            return false;
        }

        public String message() {
            return "The server refused the request (" + status + (code == null ? "" : " " + code) + "): " + detail;
        }
    }

    /** An answer outside the protocol: HTML instead of an event stream, a redirect, an event out of order. Not retried. */
    record UnexpectedResponse(String message) implements Failure {
        public boolean retryable() {
            return false;
        }
    }
}
