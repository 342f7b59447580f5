package dev.contentgen.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One hand-written HTTP/1.1 exchange over a socket, for requests java.net.http will not send (a foreign Host, raw bytes). */
public final class RawHttp {
    private RawHttp() {}

    /** The answer: its status, its headers as sent (lower-cased names), and its body. */
    public record Answer(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends {@code method path} with these header lines and body (Content-Length added when there is a body). */
    public static Answer send(int port, String method, String path, String body, String... headerLines) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String head = split < 0 ? answer : answer.substring(0, split);
            String rest = split < 0 ? "" : answer.substring(split + 4);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
