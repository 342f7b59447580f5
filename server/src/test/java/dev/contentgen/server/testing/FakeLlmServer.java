package dev.contentgen.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake LLM server on loopback speaking the OpenAI, Ollama or Anthropic streaming wire format
 * over raw HTTP/1.1, scripted per request: it streams, refuses, hangs up, stalls, or holds the
 * line until the client closes it (which it records). Unscripted requests get a normal stream
 * whose text suits the step (a numbered outline for outline prompts).
 */
public final class FakeLlmServer implements AutoCloseable {
    /** The wire format spoken. */
    public enum Wire { OPENAI, OLLAMA, ANTHROPIC }

    /** How a stream ends after its tokens. */
    public enum Ending { DONE, HANG_UP, CLEAN_CLOSE, HOLD, ERROR_EVENT }

    /** One scripted answer. */
    public sealed interface Reply {}

    /**
     * A 200 stream: {@code tokens} (null: the default text), after {@code firstTokenDelay}, then
     * {@code ending} once {@code beforeEnding} opens (null: at once).
     */
    public record Stream(List<String> tokens, Duration firstTokenDelay, Ending ending, CountDownLatch beforeEnding)
            implements Reply {
        public Stream(List<String> tokens, Duration firstTokenDelay, Ending ending) {
            this(tokens, firstTokenDelay, ending, null);
        }

        /** Holds the ending until the test opens {@code gate} (e.g. once it saw the first token arrive). */
        public Stream endingAfter(CountDownLatch gate) {
            return new Stream(tokens, firstTokenDelay, ending, gate);
        }
    }

    /** A refusal with a status, headers and a JSON body. */
    public record Refusal(int status, Map<String, String> headers, String body) implements Reply {}

    /** No answer at all, not even headers, until the client gives up and closes the connection. */
    public record Mute() implements Reply {}

    /** What a request looked like. */
    public record Request(String method, String path, Map<String, String> headers, String body) {}

    /** The token counts a finished stream reported, in the wire's own usage fields. */
    public record Usage(long inputTokens, long outputTokens) {}

    private final Wire wire;
    private final ServerSocket server;
    private final Thread acceptor;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Semaphore requestsSeen = new Semaphore(0);
    private final Semaphore closedByClient = new Semaphore(0);
    private final List<Usage> reported = new CopyOnWriteArrayList<>();

    public FakeLlmServer(Wire wire) throws IOException {
        this.wire = wire;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("fake-llm").start(this::acceptLoop);
    }

    /** The base URL a provider is configured with. */
    public String baseUrl() {
        String root = "http://127.0.0.1:" + server.getLocalPort();
        return switch (wire) {
            case OPENAI, ANTHROPIC -> root + "/v1";
            case OLLAMA -> root;
        };
    }

    /** The next requests get these replies, in order; then normal streams again. */
    public FakeLlmServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public static Stream normal() {
        return new Stream(null, Duration.ZERO, Ending.DONE);
    }

    public static Stream tokensThen(int tokens, Ending ending) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            words.add("partial" + i + " ");
        }
        return new Stream(words, Duration.ZERO, ending);
    }

    public static Stream silentBeforeFirstToken() {
        return new Stream(List.of(), Duration.ZERO, Ending.HOLD);
    }

    public static Refusal status(int status, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new Refusal(status, headers, "{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"scripted\"}}");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The usage of every stream that ended normally, in the order they ended. */
    public List<Usage> reportedUsage() {
        return List.copyOf(reported);
    }

    /** What the fake says a request's prompt cost: one token per four bytes of its body, as a rough tokenizer would. */
    static long promptTokens(Request request) {
        return Math.max(1, request.body().getBytes(StandardCharsets.UTF_8).length / 4);
    }

    /** Waits until {@code n} requests arrived in all. */
    public boolean awaitRequests(int n, Duration timeout) throws InterruptedException {
        if (requestsSeen.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            requestsSeen.release(n);
            return true;
        }
        return false;
    }

    /** Waits until the client closed a connection the fake was holding open (a stall or a hold). */
    public boolean awaitClientClosed(Duration timeout) throws InterruptedException {
        return closedByClient.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Request request = readRequest(in);
            requests.add(request);
            requestsSeen.release();
            Reply reply = script.poll();
            OutputStream out = socket.getOutputStream();
            switch (reply == null ? normal() : reply) {
                case Refusal r -> refuse(out, r);
                case Mute m -> awaitClientClose(socket, in);
                case Stream s -> stream(socket, in, out, s, request);
            }
        } catch (IOException e) {
            // The client went away mid-answer: what some tests want.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuse(OutputStream out, Refusal r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status() + " Scripted\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n");
        r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private void stream(Socket socket, InputStream in, OutputStream out, Stream s, Request request)
            throws IOException, InterruptedException {
        String type = wire == Wire.OLLAMA ? "application/x-ndjson" : "text/event-stream";
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> tokens = s.tokens() != null ? s.tokens() : words(defaultText(request.body()));
        Usage usage = new Usage(promptTokens(request), tokens.size());
        if (wire == Wire.ANTHROPIC) {
            chunk(out, sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":"
                    + usage.inputTokens() + ",\"output_tokens\":1}}}")
                    + sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        }
        if (!s.firstTokenDelay().isZero()) {
            Thread.sleep(s.firstTokenDelay());
        }
        for (String token : tokens) {
            chunk(out, token(token));
        }
        if (s.beforeEnding() != null) {
            s.beforeEnding().await();
        }
        switch (s.ending()) {
            case DONE -> {
                reported.add(usage);
                chunk(out, done(usage));
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            case ERROR_EVENT -> {
                chunk(out, errorEvent());
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            case CLEAN_CLOSE -> {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // Closing without the last chunk: the body is cut mid-way (a reset could drop tokens the client has not read yet).
            case HANG_UP -> socket.shutdownOutput();
            case HOLD -> awaitClientClose(socket, in);
        }
    }

    /** The client sends nothing more on this connection: reading returns when it closes it. */
    private void awaitClientClose(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(30_000);
        try {
            while (in.read() != -1) {
                // drain
            }
        } catch (java.net.SocketTimeoutException e) {
            return;
        } catch (IOException e) {
            // A reset is a close too.
        }
        closedByClient.release();
    }

    private String token(String text) {
        String t = json(text);
        return switch (wire) {
            case OPENAI -> "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + t + "},\"finish_reason\":null}]}\n\n";
            case OLLAMA -> "{\"model\":\"m\",\"created_at\":\"2026-11-25T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":"
                    + t + "},\"done\":false}\n";
            case ANTHROPIC -> sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + t + "}}");
        };
    }

    /** The end of a stream, with its usage where each wire puts it (OpenAI: a last chunk without choices, as for include_usage). */
    private String done(Usage usage) {
        long in = usage.inputTokens();
        long out = usage.outputTokens();
        return switch (wire) {
            case OPENAI -> "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out) + "}}\n\n"
                    + "data: [DONE]\n\n";
            case OLLAMA -> "{\"model\":\"m\",\"created_at\":\"2026-11-25T00:00:01Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                    + "\"done_reason\":\"stop\",\"done\":true,\"eval_count\":" + out + ",\"prompt_eval_count\":" + in + "}\n";
            case ANTHROPIC -> sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                    + sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + out + "}}")
                    + sse("message_stop", "{\"type\":\"message_stop\"}");
        };
    }

    /** The error a provider reports inside a 200 stream (Anthropic: "overloaded"). */
    private String errorEvent() {
        return switch (wire) {
            case OPENAI -> sse("error", "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
            case OLLAMA -> "{\"error\":\"an error was encountered while running the model\"}\n";
            case ANTHROPIC -> sse("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        };
    }

    private static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static final Pattern SECTIONS = Pattern.compile("exactly (\\d+) sections");

    /** Text that suits the prompt: a numbered outline, a titled summary, or plain prose. */
    static String defaultText(String requestBody) {
        Matcher m = SECTIONS.matcher(requestBody);
        if (requestBody.contains("Write the outline") && m.find()) {
            StringBuilder outline = new StringBuilder();
            for (int i = 1; i <= Integer.parseInt(m.group(1)); i++) {
                outline.append(i).append(". Fake part ").append(i).append(" — what part ").append(i).append(" covers\n");
            }
            return outline.toString();
        }
        if (requestBody.contains("Give it a title")) {
            return "# A fake title\n\nA fake summary of the fake article.\n";
        }
        return "Fake prose streamed by the fake server, token by token.\n";
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\\S+\\s*").matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static Request readRequest(InputStream in) throws IOException {
        String requestLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        String[] parts = requestLine.split(" ");
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                bytes.write(b);
            }
        }
        if (b == -1 && bytes.size() == 0) {
            throw new IOException("connection closed before a request");
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
