package dev.contentgen.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that has received no byte for too long. java.net.http has no read timeout
 * for bodies, and a proxy that stops forwarding without closing leaves a read blocked forever.
 */
final class IdleWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "contentgen-idle-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code in}, watched: it is closed, and reports {@link Watched#expired()}, after {@code idle} without a byte. */
    Watched watch(InputStream in, Duration idle) {
        Watched watched = new Watched(in, idle.toNanos());
        long period = Math.max(10, idle.toMillis() / 4);
        watched.check = timer.scheduleWithFixedDelay(watched::expireIfIdle, period, period, TimeUnit.MILLISECONDS);
        return watched;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A body whose every arriving byte pushes back the deadline. */
    static final class Watched extends FilterInputStream {
        private final long idleNanos;
        private volatile long lastByte = System.nanoTime();
        private volatile boolean expired;
        private ScheduledFuture<?> check;

        private Watched(InputStream in, long idleNanos) {
            super(in);
            this.idleNanos = idleNanos;
        }

        boolean expired() {
            return expired;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastByte = System.nanoTime();
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            lastByte = System.nanoTime();
            return n;
        }

        private void expireIfIdle() {
            if (System.nanoTime() - lastByte > idleNanos) {
                expired = true;
                closeQuietly();
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }

        private void closeQuietly() {
            if (check != null) {
                check.cancel(false);
            }
            try {
                super.close();
            } catch (IOException e) {
                // Closing is how we stop reading; a failure to close leaves nothing for us to release.
            }
        }
    }
}
