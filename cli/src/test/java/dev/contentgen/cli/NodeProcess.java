package dev.contentgen.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A contentgen node in its own OS process ({@code contentgen serve}), for crash and restart tests. */
final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on https?://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> output;
    private final Thread reader;
    private final int port;

    private NodeProcess(Process process, List<String> output, Thread reader, int port) {
        this.process = process;
        this.output = output;
        this.reader = reader;
        this.port = port;
    }

    static NodeProcess start(Path dataDir, String... extraArgs) throws Exception {
        return startOnPort(dataDir, 0, Map.of(), extraArgs);
    }

    /** Starts a node with extra environment variables (e.g. a provider's API key). */
    static NodeProcess start(Path dataDir, Map<String, String> env, String... extraArgs) throws Exception {
        return startOnPort(dataDir, 0, env, extraArgs);
    }

    /** A node on a fixed port, so a restarted node is found where clients left the old one. */
    static NodeProcess startOnPort(Path dataDir, int port, String... extraArgs) throws Exception {
        return startOnPort(dataDir, port, Map.of(), extraArgs);
    }

    static NodeProcess startOnPort(Path dataDir, int port, Map<String, String> env, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--heartbeat", "1s"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // The process is gone; its output ends here.
            }
            listening.completeExceptionally(new IllegalStateException("node exited before listening:\n" + String.join("\n", lines)));
        });
        return new NodeProcess(process, lines, reader, listening.get(60, TimeUnit.SECONDS));
    }

    /** A port nobody listens on right now (the OS may hand it out again later, which is what a restart test wants). */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the node gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(5_000);
    }

    /** SIGTERM: the node drains. */
    int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its output, losing the drain's log lines.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(5_000);
        return process.exitValue();
    }

    List<String> output() {
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
