package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/** Reads a request body of bounded size as strict UTF-8, or says why it cannot. */
final class RequestBody {
    /** The most of an oversized body read and dropped before answering; past it the connection is closed instead. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private RequestBody() {}

    /** Reads at most {@code maxBytes}, whether or not the client sent a Content-Length. */
    static String read(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > DRAIN_LIMIT) {
            // Waiting for a body we would refuse anyway lets a client hold the request open for as long as it likes.
            ctx.header("Connection", "close");
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                if (!drain(in)) {
                    ctx.header("Connection", "close");
                }
                throw tooLarge(maxBytes);
            }
            return utf8(bytes);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * Reads (and drops) a moderately oversized rest of the body: answering while the client is
     * still sending makes many clients see a reset instead of our 413. False if more was left.
     */
    private static boolean drain(InputStream in) throws IOException {
        long drained = 0;
        byte[] sink = new byte[8192];
        int n;
        while ((n = in.read(sink)) > 0) {
            drained += n;
            if (drained >= DRAIN_LIMIT) {
                return false;
            }
        }
        return true;
    }

    /** JSON text is UTF-8 (RFC 8259); a lenient decoder would store U+FFFD in place of whatever was sent. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "The body is not valid UTF-8; send JSON encoded as UTF-8.");
        }
    }

    /** Jetty reports a body cut short, broken chunked framing and a stalled sender as IOExceptions from the read. */
    private static ApiException unreadable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return new ApiException(ErrorCode.REQUEST_TIMEOUT, "The body did not arrive in time.");
            }
        }
        return new ApiException(ErrorCode.BAD_REQUEST, "The body could not be read: it ended before its declared length "
                + "or its chunked encoding is broken.");
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(ErrorCode.BODY_TOO_LARGE, "The body is larger than " + maxBytes + " bytes.");
    }
}
