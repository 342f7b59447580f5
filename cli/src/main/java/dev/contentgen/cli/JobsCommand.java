package dev.contentgen.cli;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.client.CancelResult;
import dev.contentgen.client.JobFilter;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contentgen jobs list|show|cancel}: the jobs on a server. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists, shows, cancels and deletes jobs.",
        subcommands = {JobsCommand.List.class, JobsCommand.Show.class, JobsCommand.Cancel.class, JobsCommand.Delete.class})
final class JobsCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** {@code contentgen jobs} alone: says which subcommands there are. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("contentgen jobs: say which: list, show JOB_ID or cancel JOB_ID.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists jobs, newest first.")
    static final class List implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--limit", defaultValue = "20", description = "Jobs per page, 1-100 (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--cursor", description = "Where the next page starts (printed under a full page).")
        String cursor;

        @Option(names = "--status", split = ",", paramLabel = "STATUS",
                description = "Only jobs in one of these statuses, comma-separated: pending, running, retrying, completed, failed, cancelled.")
        java.util.Set<JobStatus> statuses;

        @Option(names = "--search", paramLabel = "TEXT", description = "Only jobs whose topic contains TEXT, ignoring case.")
        String search;

        @Option(names = "--json", description = "Print the page as JSON.")
        boolean json;

        @Override
        public Integer call() {
            JobFilter filter = new JobFilter(statuses == null ? java.util.Set.of() : statuses, search);
            return server.withClient(client -> {
                JobPage page = client.jobs().list(filter, cursor, limit);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.write(page));
                } else {
                    for (Job job : page.jobs()) {
                        out.printf("%s  %-9s  %-13s  %s  %s%n", job.id(), job.status().wireName(), job.format().wireName(),
                                job.createdAt(), job.topic());
                    }
                    if (page.nextCursor() != null) {
                        out.println("more: contentgen jobs list --cursor " + page.nextCursor() + sameFilter());
                    }
                }
                out.flush();
                return ExitCode.COMPLETED;
            });
        }

        /** The filter's options again, so the printed next-page command lists the same jobs. */
        private String sameFilter() {
            StringBuilder options = new StringBuilder();
            if (statuses != null && !statuses.isEmpty()) {
                options.append(" --status ").append(java.util.Arrays.stream(JobStatus.values()).filter(statuses::contains)
                        .map(JobStatus::wireName).collect(java.util.stream.Collectors.joining(",")));
            }
            if (search != null && !search.isBlank()) {
                options.append(" --search ").append(shellWord(search));
            }
            return options.toString();
        }

        /** The text as one shell word: as it is when it is plain, else in single quotes. */
        private static String shellWord(String text) {
            return text.matches("[A-Za-z0-9._/:@%+=-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a job: its status, its artifacts, and the finished text.")
    static final class Show implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "JOB_ID")
        String jobId;

        @Option(names = "--json", description = "Print the job as JSON.")
        boolean json;

        @Override
        public Integer call() {
            return server.withClient(client -> {
                Job job = client.jobs().get(jobId);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.write(job));
                } else {
                    out.printf("job      %s%ntopic    %s%nformat   %s, %s, %s%nstatus   %s (attempt %d, %d events)%n",
                            job.id(), job.topic(), job.format().wireName(), job.tone().wireName(), job.length().wireName(),
                            job.status().wireName(), job.attempt(), job.lastSeq());
                    if (job.error() != null) {
                        out.printf("error    %s: %s%n", job.error().code(), job.error().message());
                    }
                    if (job.queue() != null) {
                        out.printf("queue    %s%n", QueueWatcher.describe(job.queue()).substring("waiting: ".length()));
                    }
                    if (job.usage() != null && (job.usage().inputTokens() > 0 || job.usage().outputTokens() > 0)) {
                        out.printf(java.util.Locale.ROOT, "tokens   %,d input + %,d output%s%n", job.usage().inputTokens(), job.usage().outputTokens(),
                                job.usage().costUsd() == null ? "" : ", " + SummaryLine.dollars(job.usage().costUsd()));
                    }
                    for (Artifact a : job.artifacts()) {
                        out.printf("  %-8s %-10s %6d chars  %s%n", a.kind(), a.status().wireName(), a.content().length(), a.title());
                    }
                    if (!job.artifacts().isEmpty() && job.status() == JobStatus.COMPLETED) {
                        out.println();
                        out.println(job.artifacts().getLast().content());
                    }
                }
                out.flush();
                return ExitCode.COMPLETED;
            });
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a pending or running job.")
    static final class Cancel implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "JOB_ID")
        String jobId;

        @Override
        public Integer call() {
            return server.withClient(client -> {
                CancelResult result = client.jobs().cancel(jobId);
                PrintWriter out = spec.commandLine().getOut();
                out.println(result.stopping() ? "cancel requested: job " + jobId + " stops at its next token"
                        : "cancelled: job " + jobId);
                out.flush();
                return ExitCode.COMPLETED;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a job, its events and its artifacts (a running job stops).")
    static final class Delete implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "JOB_ID")
        String jobId;

        @Override
        public Integer call() {
            return server.withClient(client -> {
                client.jobs().delete(jobId);
                PrintWriter out = spec.commandLine().getOut();
                out.println("deleted: job " + jobId);
                out.flush();
                return ExitCode.COMPLETED;
            });
        }
    }
}
