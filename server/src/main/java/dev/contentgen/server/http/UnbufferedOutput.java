package dev.contentgen.server.http;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * A stream's response body without Jetty's aggregation buffer. Jetty copies small writes into a
 * 32 KiB buffer that a response keeps until it ends: on a long-lived stream that is 32 KiB of
 * memory per subscriber for nothing, since every SSE frame is flushed at once. Here each write
 * goes to the socket as it is (an event's frame is shared by all subscribers), and flush has
 * nothing left to do.
 */
final class UnbufferedOutput extends OutputStream {
    private final HttpOutput out;

    private UnbufferedOutput(HttpOutput out) {
        this.out = out;
    }

    /** The response body unbuffered when it is Jetty's, as it is otherwise. */
    static OutputStream of(ServletOutputStream out) {
        return out instanceof HttpOutput jetty ? new UnbufferedOutput(jetty) : out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // HttpOutput.write(ByteBuffer) bypasses the aggregate: a blocking write of these bytes.
        out.write(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void flush() {
        // Every write already went out.
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
