package dev.contentgen.cli;

import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.api.RevisionList;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contentgen revisions JOB}: the revision history of the piece a job belongs to. */
@Command(name = "revisions", mixinStandardHelpOptions = true,
        description = "Lists the revision history of the piece a job belongs to: its first job, then every revision in order.")
final class RevisionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "Any job of the piece.")
    String jobId;

    @Option(names = "--json", description = "Print the history as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return server.withClient(client -> {
            RevisionList history = client.jobs().revisions(jobId);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(history));
            } else {
                for (Job job : history.revisions()) {
                    String what = job.revision() == null ? "original"
                            : "revision " + job.revision().number() + " of " + job.revision().parentId() + ": " + job.revision().step()
                                    + (job.revision().instruction() == null ? "" : " (\"" + job.revision().instruction() + "\")");
                    out.printf("%s  %-9s  %s%n", job.id(), job.status().wireName(), what);
                }
            }
            out.flush();
            return ExitCode.COMPLETED;
        });
    }
}
