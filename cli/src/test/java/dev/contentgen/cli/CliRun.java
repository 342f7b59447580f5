package dev.contentgen.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code contentgen} command line in this JVM, exactly as main configures it, capturing its output. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** A run still going, whose output so far a test can read while it waits for something to be printed. */
    record Live(StringWriter out, StringWriter err, java.util.concurrent.CompletableFuture<CliRun> done) {}

    static Live start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var done = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
            return new CliRun(exit, out.toString(), err.toString());
        }, r -> Thread.ofVirtual().start(r));
        return new Live(out, err, done);
    }
}
