package dev.contentgen.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contentgen watch ID}: follows an existing job's stream, from the start or after a given event. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follows a job's events until it ends (the whole log first, unless --after is given).",
                "Exit codes as for generate; 5 when there is no such job."})
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to follow.")
    String jobId;

    @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0",
            description = "Only events after this seq (the last one you saw); default: from the start.")
    long after;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the finished Markdown to this file.")
    Path out;

    @Option(names = "--json", description = "Print each event as one JSON line instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (after < 0) {
            stderr.println("contentgen: --after must be 0 or more");
            return ExitCode.BAD_INPUT;
        }
        return server.withClient(client -> JobFollower.printing(client, jobId, json, stdout, stderr).follow(after, out));
    }
}
