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
}
