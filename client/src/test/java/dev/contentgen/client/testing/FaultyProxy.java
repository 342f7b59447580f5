package dev.contentgen.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting TCP proxy in front of a node: forwards bytes both ways, and on demand cuts every
 * connection, cuts each response after a random number of bytes, swallows answers, or goes silent
 * while keeping its sockets open (a dead connection that never closes).
 */
public final class FaultyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger answersToSwallow = new AtomicInteger();
    private volatile Random cutter;
    private volatile int cutMin;
    private volatile int cutMax;

    public FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Closes every open connection now, as a proxy restart or a network drop would. */
    public void cutAll() {
        for (Link link : links) {
            cuts.incrementAndGet();
            link.cut();
        }
    }

    /** From now on every response is cut after a random number of bytes in [min, max]; null stops it. */
    public void cutResponsesRandomly(Random random, int min, int max) {
        this.cutMin = min;
        this.cutMax = max;
        this.cutter = random;
    }

    /** The next {@code n} connections forward their request, then close as the answer starts: the answer is lost. */
    public void swallowAnswers(int n) {
        answersToSwallow.set(n);
    }

    /** Open connections stop forwarding in both directions but stay open; new connections work normally. */
    public void freezeOpenConnections() {
        for (Link link : links) {
            link.frozen = true;
        }
    }

    public int connections() {
        return connections.get();
    }

    /** Connections this proxy closed on purpose. */
    public int cuts() {
        return cuts.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                } catch (IOException nodeDown) {
                    client.close();
                    continue;
                }
                connections.incrementAndGet();
                Random random = cutter;
                int budget = random == null ? Integer.MAX_VALUE : cutMin + random.nextInt(cutMax - cutMin + 1);
                boolean swallow = answersToSwallow.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                Link link = new Link(client, upstream, swallow ? 0 : budget);
                links.add(link);
                link.start();
            } catch (IOException e) {
                // The listener closed (end of test) or the node is down: the client sees its connection refused or closed.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }

    /** One proxied connection: a pump per direction. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private int answerBudget;
        private volatile boolean frozen;
        private volatile boolean closed;

        Link(Socket client, Socket upstream, int answerBudget) {
            this.client = client;
            this.upstream = upstream;
            this.answerBudget = answerBudget;
        }

        void start() throws IOException {
            InputStream fromClient = client.getInputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toClient = client.getOutputStream();
            Thread.ofVirtual().start(() -> pump(fromClient, toUpstream, false));
            Thread.ofVirtual().start(() -> pump(fromUpstream, toClient, true));
        }

        private void pump(InputStream in, OutputStream out, boolean answer) {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    while (frozen && !closed) {
                        Thread.sleep(20); // silent: hold the bytes, keep the socket open
                    }
                    if (answer && n >= answerBudget) {
                        out.write(buffer, 0, answerBudget);
                        out.flush();
                        cuts.incrementAndGet();
                        cut();
                        return;
                    }
                    if (answer && answerBudget != Integer.MAX_VALUE) {
                        answerBudget -= n;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // One side closed: close the other too, as a real proxy does.
            }
            cut();
        }

        void cut() {
            if (!closed) {
                closed = true;
                links.remove(this);
            }
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }
}
