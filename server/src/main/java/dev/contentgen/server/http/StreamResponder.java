package dev.contentgen.server.http;

import dev.contentgen.server.stream.EndReason;
import dev.contentgen.server.stream.SseWriter;
import dev.contentgen.server.stream.StreamOpening;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers a request with an opened stream (per job or multiplexed): 200, the event stream's headers, and its
 * events until it ends, with no thread waiting meanwhile. It also knows which of its responses Jetty has not
 * completed yet, so that stopping the server can wait for the last bytes of streams that already said goodbye.
 */
final class StreamResponder {
    private final Duration writeTimeout;
    private final BooleanSupplier serving;
    private final ClientWatch watch;
    /** Responses begun and not yet completed by Jetty (their last bytes written, or their connection gone). */
    private int open;

    /** {@code serving}: false once the HTTP server stops (a stream may end after that, see {@link #respond}). */
    StreamResponder(Duration writeTimeout, BooleanSupplier serving, ClientWatch watch) {
        this.writeTimeout = writeTimeout;
        this.serving = serving;
        this.watch = watch;
    }

    void respond(Context ctx, StreamOpening.Streamed streamed) throws IOException {
        SseWriter writer;
        try {
            startEventStream(ctx);
            // The stream writes at least once per heartbeat, so the connection idles this long only when a write is stuck.
            ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint()
                    .setIdleTimeout(writeTimeout.toMillis());
            writer = new SseWriter(UnbufferedOutput.of(ctx.res().getOutputStream()), nonBlockingWrite(ctx));
        } catch (IOException | RuntimeException e) {
            streamed.close();
            throw e;
        }
        ServletApiRequest request = ServletContextRequest.getServletContextRequest(ctx.req()).getServletApiRequest();
        Request exchange = request.getRequest();
        opened();
        Request.addCompletionListener(exchange, failure -> completed());
        // The request's thread returns now; the response stays open until the stream ends.
        CompletableFuture<Void> answered = new CompletableFuture<>();
        AtomicReference<ClientWatch.Watching> watching = new AtomicReference<>();
        CompletableFuture<EndReason> ended = streamed.start(writer);
        ended.whenComplete((reason, failure) -> {
            // Before the response completes: the connection is Jetty's again then, for the next request.
            ClientWatch.Watching w = watching.getAndSet(() -> {});
            if (w != null) {
                w.stop();
            }
            streamed.close();
            // A stream that ends after the server stopped, or after an HTTP/2 client reset it (Jetty then recycles the
            // request at once), leaves its request to the server: Javalin would resume the recycled request, and its
            // error handling of that fails again and again.
            if (serving.getAsBoolean() && stillAnswering(request, exchange)) {
                answered.complete(null);
            }
        });
        if (!ended.isDone()) {
            // A client that leaves while nothing is written is noticed now, not at the next heartbeat.
            ClientWatch.Watching w = watch.watch(exchange, streamed::clientGone, streamed.holdsSlot());
            if (!watching.compareAndSet(null, w)) {
                w.stop(); // the stream ended meanwhile
            }
        }
        ctx.future(() -> answered);
    }

    /**
     * Waits up to {@code limit} until every stream response is complete. A stream that ended hands its response back
     * to Jetty, which writes its last bytes (the chunked body's end) a moment later: stopping the server before that
     * would cut the connection, and the client would read "closed" instead of the end. A response Jetty never completes
     * (a stream that outlived the drain) costs at most {@code limit}.
     */
    synchronized void awaitCompleted(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long left;
        while (open > 0 && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private synchronized void opened() {
        open++;
    }

    private synchronized void completed() {
        open--;
        notifyAll();
    }

    /**
     * Live events over HTTP/1 go to the response's Jetty side, which writes without blocking and calls back when the
     * bytes are out (or the connection's idle timeout, the write timeout, failed them). Over HTTP/2 every write blocks
     * on the stream's own thread, as before (its flow control is the HTTP/2 stream's).
     */
    private static SseWriter.NonBlockingWrite nonBlockingWrite(Context ctx) {
        if (!ctx.req().getProtocol().startsWith("HTTP/1.")) {
            return null;
        }
        Response response = ServletContextRequest.getServletContextRequest(ctx.req()).getServletContextResponse();
        return (bytes, done) -> {
            try {
                response.write(false, ByteBuffer.wrap(bytes), Callback.from(() -> done.accept(null), done::accept));
            } catch (RuntimeException refused) {
                done.accept(refused); // a response that refuses the write at once ends its stream, as a failed write does
            }
        };
    }

    /** Whether the request is still the one the stream answers (not recycled by Jetty since). */
    private static boolean stillAnswering(ServletApiRequest request, Request exchange) {
        try {
            return request.getRequest() == exchange;
        } catch (RuntimeException recycled) {
            return false;
        }
    }

    static void startEventStream(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache, no-transform");
        // Tells nginx (and proxies that honour it) not to buffer the stream.
        ctx.res().setHeader("X-Accel-Buffering", "no");
    }
}
