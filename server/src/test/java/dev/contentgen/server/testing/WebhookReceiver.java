package dev.contentgen.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP endpoint on loopback that receives webhooks: it answers each request with the next
 * scripted answer (then 200), records what it got, and can hang until released.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One scripted answer; {@code hang} holds the answer back until {@link #close}. */
    public record Answer(int status, Map<String, String> headers, boolean hang) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), false);
        }

        public static Answer hangs() {
            return new Answer(200, Map.of(), true);
        }
    }

    /** A request as received; {@code host} is its Host header. */
    public record Received(String id, String timestamp, String signature, String contentType, String body, String host) {
        public Received(String id, String timestamp, String signature, String contentType, String body) {
            this(id, timestamp, signature, contentType, body, null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);

    public WebhookReceiver(Answer... answers) {
        this("127.0.0.1", 0, answers);
    }

    /** A receiver on another loopback address (Linux answers all of 127/8), on a given port or 0 for any. */
    public WebhookReceiver(String address, int port, Answer... answers) {
        this(address, port, null, answers);
    }

    /** An https receiver on {@code address}, presenting the certificate of {@code tls}. */
    public static WebhookReceiver https(String address, SSLContext tls, Answer... answers) {
        return new WebhookReceiver(address, 0, tls, answers);
    }

    private WebhookReceiver(String address, int port, SSLContext tls, Answer... answers) {
        script.addAll(java.util.List.of(answers));
        try {
            if (tls == null) {
                server = HttpServer.create(new InetSocketAddress(address, port), 0);
            } else {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(address, port), 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return (server instanceof HttpsServer ? "https://" : "http://") + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/hooks";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next request received, waiting up to {@code timeout} for it; null if none came. */
    public Received next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int pending() {
        return received.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var h = exchange.getRequestHeaders();
        received.add(new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
                h.getFirst("Content-Type"), body, h.getFirst("Host")));
        Answer answer = script.poll();
        if (answer == null) {
            answer = Answer.status(200);
        }
        if (answer.hang()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
