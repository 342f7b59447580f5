package dev.contentgen.cli;

import dev.contentgen.api.Format;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contentgen generate "topic"}: creates a job and follows it to the end, printing as it streams. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Creates a content job on the server and prints its text as it streams.",
                "Exit codes: 0 completed, 1 failed, 2 bad input, 3 cancelled, 4 server unreachable, 6 unauthorized, 7 other error, 130 detached (Ctrl-C)."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "What the content is about (1-500 characters).")
    String topic;

    @Option(names = "--format", paramLabel = "FORMAT", description = "One of the server's formats, e.g. article, social-thread, blog-post (see: contentgen formats; default: article).")
    Format format;

    @Option(names = "--tone", paramLabel = "TONE", description = "neutral, friendly, professional or playful (default: neutral).")
    Tone tone;

    @Option(names = "--length", paramLabel = "LENGTH", description = "short, medium or long (default: medium).")
    Length length;

    @Option(names = "--audience", paramLabel = "AUDIENCE", description = "Who it is for, e.g. \"engineering managers\" (optional).")
    String audience;

    @Option(names = "--provider", paramLabel = "PROVIDER",
            description = "One of the server's providers (see GET /api/providers; default: the server's).")
    String provider;

    @Option(names = "--model", paramLabel = "MODEL", description = "One of that provider's models (default: its default).")
    String model;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the finished Markdown to this file.")
    Path out;

    @Option(names = "--json", description = "Print each event as one JSON line instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        return server.withClient(client -> {
            Job job = client.jobs().create(new JobRequest(topic, format, tone, length, audience, provider, model));
            stderr.println("contentgen: job " + job.id() + " created on " + client.baseUrl());
            stderr.flush();
            return JobFollower.printing(client, job.id(), json, stdout, stderr).follow(0, out);
        });
    }
}
