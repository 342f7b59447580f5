package dev.contentgen.cli;

import dev.contentgen.api.Job;
import dev.contentgen.api.RegenerateRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contentgen regenerate JOB --step section-2}: regenerates one step of a completed job as a revision and follows it. */
@Command(name = "regenerate", mixinStandardHelpOptions = true,
        description = {"Writes one step of a completed job again (optionally with an instruction) as a new job, a revision that "
                + "keeps every other finished step, and prints it as it streams like generate does.",
                "Exit codes: 0 completed, 1 failed, 2 refused (an unknown step: the message lists the job's steps; or a job that "
                        + "has not completed), 3 cancelled, 4 server unreachable, 5 job not found, 6 unauthorized, 7 other error, "
                        + "130 detached (Ctrl-C)."})
final class RegenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "A completed job (or a revision of one).")
    String jobId;

    @Option(names = "--step", required = true, paramLabel = "STEP",
            description = "The step to write again, as the job's progress names it: outline, section-2, summary, …")
    String step;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "What to change, e.g. \"shorter\" or \"more examples\" (optional).")
    String instruction;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the finished Markdown of the revision to this file.")
    Path out;

    @Option(names = "--json", description = "Print each event as one JSON line instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        return server.withClient(client -> {
            Job revision = client.jobs().regenerate(jobId, new RegenerateRequest(step, instruction));
            stderr.println("contentgen: job " + revision.id() + " created on " + client.baseUrl() + ": revision "
                    + revision.revision().number() + " of " + revision.revision().revisionOf() + ", regenerating " + step);
            stderr.flush();
            return JobFollower.printing(client, revision.id(), json, stdout, stderr).follow(0, out);
        });
    }
}
