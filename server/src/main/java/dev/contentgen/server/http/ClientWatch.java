package dev.contentgen.server.http;

import dev.contentgen.server.stream.EndReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the client of an open stream went away while the stream writes nothing, instead of at its next
 * heartbeat (docs/STREAMS.md, "When a client leaves"). No thread per stream, no store read:
 * <ul>
 *   <li>HTTP/2: the client resets the stream (RST_STREAM) or closes the connection; Jetty fails the request and
 *       tells its failure listeners at once.</li>
 *   <li>HTTP/1.1: Jetty reads nothing from a connection while its request is handled (a GET's body is at its end
 *       already), so nobody sees the client's FIN. For a stream that holds one of its owner's slots (the node
 *       enforces an open-streams limit, and the caller is not local mode's user), one timer reads each such
 *       connection without blocking every {@link #HTTP1_PROBE}: nothing to read leaves it be; the end of input (or an
 *       error) means the client left. Any other stream learns it at its next write, as before.</li>
 * </ul>
 */
final class ClientWatch implements AutoCloseable {
    /** How often an HTTP/1.1 stream's connection is looked at: a replaced stream frees its slot within this. */
    static final Duration HTTP1_PROBE = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(ClientWatch.class);

    private final Set<Http1Probe> probes = ConcurrentHashMap.newKeySet();
    /** Null where HTTP/1.1 connections are not read (no open-streams limit). */
    private final ScheduledExecutorService timer;
    /** Only the timer's thread reads into it; one byte, because a client sends nothing while its answer streams. */
    private final ByteBuffer scratch = BufferUtil.allocate(1);

    /** {@code probeHttp1}: read HTTP/1.1 streams' connections to notice a client that left (HTTP/2 is noticed regardless). */
    ClientWatch(boolean probeHttp1) {
        if (probeHttp1) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("client-watch").daemon().factory());
            timer.scheduleWithFixedDelay(this::probeAll, HTTP1_PROBE.toMillis(), HTTP1_PROBE.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Stops watching one stream; called before its response completes (the connection is Jetty's again then). */
    interface Watching {
        void stop();
    }

    /**
     * Calls {@code gone} (at most once, on some other thread) with the reason if the client of {@code exchange} leaves.
     * {@code holdsSlot}: the stream counts against its owner's open-streams limit; only then is an HTTP/1.1 connection
     * read (a stream of local mode, or of a node without a limit, frees nothing its owner waits for).
     */
    Watching watch(Request exchange, Consumer<EndReason> gone, boolean holdsSlot) {
        OnceGone once = new OnceGone(gone);
        // HTTP/2: a reset or a closed connection fails the request. Harmless over HTTP/1.1, where it says the same.
        exchange.addFailureListener(failure -> once.gone(causedByTimeout(failure) ? EndReason.WRITE_TIMEOUT : EndReason.CLIENT_CLOSED));
        if (timer == null || !holdsSlot || exchange.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2) {
            return () -> once.stopped = true;
        }
        Http1Probe probe = new Http1Probe(exchange.getConnectionMetaData().getConnection().getEndPoint(), once);
        probes.add(probe);
        return probe;
    }

    private void probeAll() {
        try {
            for (Http1Probe probe : probes) {
                probe.probe();
            }
        } catch (RuntimeException e) {
            // The next round tries again; it is a defect, so loudly.
            log.error("client watch failed", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static final class OnceGone {
        private final Consumer<EndReason> gone;
        private volatile boolean stopped;

        OnceGone(Consumer<EndReason> gone) {
            this.gone = gone;
        }

        synchronized void gone(EndReason reason) {
            if (!stopped) {
                stopped = true;
                gone.accept(reason);
            }
        }
    }

    /** One HTTP/1.1 stream's connection, read by the timer until its stream stops watching. */
    private final class Http1Probe implements Watching {
        private final EndPoint endPoint;
        private final OnceGone once;
        private boolean stopped;

        Http1Probe(EndPoint endPoint, OnceGone once) {
            this.endPoint = endPoint;
            this.once = once;
        }

        void probe() {
            EndReason gone;
            // Under the lock: once stop() returns, this probe never reads the connection again (Jetty reads the next request).
            synchronized (this) {
                if (stopped) {
                    return;
                }
                int read;
                try {
                    read = endPoint.fill(scratch);
                } catch (IOException e) {
                    read = -1;
                } finally {
                    BufferUtil.clear(scratch);
                }
                if (read == 0) {
                    return;
                }
                stopped = true;
                // Bytes while the answer streams: the client pipelined a request, and we took a byte of it; it cannot be served.
                gone = EndReason.CLIENT_CLOSED;
                if (read > 0) {
                    endPoint.close();
                }
            }
            probes.remove(this);
            once.gone(gone);
        }

        @Override
        public void stop() {
            synchronized (this) {
                stopped = true;
            }
            once.stopped = true;
            probes.remove(this);
        }
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
