package dev.contentgen.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The load and latency tools behind bench/run.sh; results are reported, never asserted. */
@Command(name = "contentgen-bench", mixinStandardHelpOptions = true,
        subcommands = {SubscribeCommand.class, PublishCommand.class, JobsCommand.class, SeedCommand.class, RequestsCommand.class,
                GenerationsCommand.class, RetentionCommand.class, WebhooksCommand.class, WriteFloorCommand.class})
public final class BenchMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
