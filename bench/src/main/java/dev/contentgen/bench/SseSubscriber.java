package dev.contentgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One lean SSE subscriber on a raw socket (HTTP/1.0, so the body is close-delimited, never chunked):
 * stamps each event on receipt against the {@code "at"} timestamp in its data.
 */
final class SseSubscriber {
    interface Sink {
        void connected();

        void event(long latencyMillis);

        void heartbeat();

        /** Every {@code data:} line as received, for sinks that read the events themselves. */
        default void data(String line) {}

        void ended(String why);
    }

    private final URI uri;
    private final Sink sink;
    private volatile Socket socket;

    SseSubscriber(URI uri, Sink sink) {
        this.uri = uri;
        this.sink = sink;
    }

    void run() {
        try (Socket s = new Socket()) {
            socket = s;
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            OutputStream out = s.getOutputStream();
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 8192);
            String status = in.readLine();
            if (status == null || !status.contains(" 200")) {
                sink.ended("status " + status);
                return;
            }
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // response headers
            }
            sink.connected();
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    long now = System.currentTimeMillis();
                    long at = atOf(line);
                    sink.event(at < 0 ? -1 : now - at);
                    sink.data(line);
                } else if (line.startsWith(":")) {
                    sink.heartbeat();
                }
            }
            sink.ended("closed by server");
        } catch (IOException e) {
            sink.ended(e.getClass().getSimpleName());
        }
    }

    void close() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a load-test socket
            }
        }
    }

    /** The event's server timestamp: the {@code "at":"<ISO instant>"} field, or -1. */
    static long atOf(String dataLine) {
        int i = dataLine.indexOf("\"at\":\"");
        if (i < 0) {
            return -1;
        }
        int start = i + 6;
        int end = dataLine.indexOf('"', start);
        try {
            return Instant.parse(dataLine.substring(start, end)).toEpochMilli();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
