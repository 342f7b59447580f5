package dev.contentgen.server.http;

import dev.contentgen.api.Json;
import dev.contentgen.server.notify.Notifier;
import dev.contentgen.server.store.Store;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /readyz}: whether a load balancer should send this node traffic — its store answers, its
 * notifier hears other nodes, and it is not draining. {@code /healthz} only says the process lives.
 */
final class ReadinessRoute {
    private static final Logger log = LoggerFactory.getLogger(ReadinessRoute.class);
    /** Below the 5 s a pool waits for a connection, and below common probe timeouts. */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

    private final String nodeId;
    private final Store store;
    private final Notifier notifier;
    private final BooleanSupplier draining;
    /** One store check at a time, shared by the probes that arrive meanwhile, so a slow database does not pile them up. */
    private final AtomicReference<CompletableFuture<Void>> storeCheck = new AtomicReference<>();
    private volatile boolean wasReady = true;

    ReadinessRoute(String nodeId, Store store, Notifier notifier, BooleanSupplier draining) {
        this.nodeId = nodeId;
        this.store = store;
        this.notifier = notifier;
        this.draining = draining;
    }

    void handle(Context ctx) {
        List<String> reasons = new ArrayList<>();
        boolean isDraining = draining.getAsBoolean();
        if (isDraining) {
            reasons.add("draining: the node is shutting down");
        }
        String storeState = checkStore();
        if (!storeState.equals("ok")) {
            reasons.add("store: " + storeState);
        }
        boolean heard = notifier.isConnected();
        if (!heard) {
            reasons.add("notifier: not connected to the database, the node would not hear other nodes' events");
        }
        boolean ready = reasons.isEmpty();
        if (ready != wasReady) {
            wasReady = ready;
            if (ready) {
                log.info("node {} is ready again", nodeId);
            } else {
                log.warn("node {} is not ready: {}", nodeId, String.join("; ", reasons));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not_ready");
        body.put("node", nodeId);
        body.put("store", storeState);
        body.put("notifier", heard ? "ok" : "disconnected");
        body.put("draining", isDraining);
        if (!ready) {
            body.put("reasons", reasons);
        }
        ctx.status(ready ? 200 : 503).contentType("application/json").result(Json.write(body));
    }

    private String checkStore() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> check = storeCheck.compareAndExchange(null, mine);
        if (check == null) {
            check = mine;
            Thread.ofVirtual().name("readiness-store-check").start(() -> {
                try {
                    store.ping((int) STORE_TIMEOUT.toSeconds());
                    mine.complete(null);
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    storeCheck.compareAndSet(mine, null);
                }
            });
        }
        try {
            check.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return "ok";
        } catch (TimeoutException e) {
            return "no answer within " + STORE_TIMEOUT.toSeconds() + " s";
        } catch (ExecutionException e) {
            // The database's own text stays in the log: the probe's answer is public.
            log.debug("readiness: store check failed: {}", e.getCause().toString());
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "check interrupted";
        }
    }
}
