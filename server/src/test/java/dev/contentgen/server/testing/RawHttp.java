package dev.contentgen.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte by byte on a loopback socket, for requests no well-behaved client would
 * send: broken framing, bad encodings, lying lengths. Reads one answer (by its Content-Length,
 * its chunks, or to the end of the connection).
 */
public final class RawHttp {
    /** An upper bound so a server that never answers fails the test instead of hanging it; not a timing under test. */
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final URI base;

    public RawHttp(URI base) {
        this.base = base;
    }

    /** One answer as the wire carried it; header names in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** Sends {@code head} (ISO-8859-1, CRLF already in it) and {@code body}, then half-closes so the server sees the end. */
    public Response send(String head, byte[] body) {
        return exchange(head, body, true);
    }

    public Response send(String head) {
        return send(head, new byte[0]);
    }

    /** Like {@link #send} but keeps sending open: the server must answer without waiting for the rest. */
    public Response sendAndKeepOpen(String head, byte[] body) {
        return exchange(head, body, false);
    }

    /** A POST to {@code path} with the given content type (null: none) and a body sized by Content-Length. */
    public Response post(String path, String contentType, byte[] body) {
        return send("POST " + path + " HTTP/1.1\r\n" + hostLine()
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
    }

    public Response post(String path, String contentType, String body) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public Response get(String target) {
        return send("GET " + target + " HTTP/1.1\r\n" + hostLine() + "Connection: close\r\n\r\n");
    }

    /**
     * {@code method path} on 127.0.0.1:{@code port} with exactly these header lines (a Host of the
     * caller's choosing, e.g. a rebinding name), and a body sized by Content-Length when not null.
     */
    public static Response send(int port, String method, String path, String body, String... headerLines) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return new RawHttp(URI.create("http://127.0.0.1:" + port)).send(head.toString(), bytes);
    }

    public String hostLine() {
        return "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
    }

    private Response exchange(String head, byte[] body, boolean halfClose) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            var out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunks(in);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(in); size != null; size = line(in)) {
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                break;
            }
            body.write(in.readNBytes(n));
            line(in);
        }
        return body.toByteArray();
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
