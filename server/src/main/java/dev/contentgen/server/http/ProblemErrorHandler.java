package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before any route runs — broken framing, bad URIs, oversized
 * request lines and headers — as a problem with a code, never Jetty's HTML error page.
 */
final class ProblemErrorHandler implements Request.Handler {
    private static final int MAX_ECHOED = 200;

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String message ? message : null;
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException failure) {
            status = failure.getCode();
            reason = reason == null ? failure.getReason() : reason;
        }
        ErrorCode code = Problems.codeFor(status);
        response.setStatus(code.httpStatus());
        SecurityHeaders.apply(response.getHeaders());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(code.httpStatus()) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        String body = Json.write(Problem.of(code, detail(code, reason), instance(request)));
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String detail(ErrorCode code, String reason) {
        return switch (code) {
            case URI_TOO_LONG -> "The URL is longer than this server accepts; send long values in a JSON body instead.";
            case HEADERS_TOO_LARGE -> "The request headers are larger than this server accepts.";
            case BAD_REQUEST -> "The request is not valid HTTP" + (reason == null ? "." : ": " + echo(reason) + ".");
            default -> reason == null ? code.name() : echo(reason);
        };
    }

    /** The request's path, unless it is too long (or too broken) to be worth echoing. */
    private static String instance(Request request) {
        try {
            String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
            return path != null && path.length() <= MAX_ECHOED ? path : null;
        } catch (RuntimeException e) {
            // A URI that Jetty could not parse has no path to show; the problem is complete without one.
            return null;
        }
    }

    private static String echo(String reason) {
        return reason.length() <= MAX_ECHOED ? reason : reason.substring(0, MAX_ECHOED) + "…";
    }
}
