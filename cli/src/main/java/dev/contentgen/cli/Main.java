package dev.contentgen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code contentgen} command. */
@Command(name = "contentgen", mixinStandardHelpOptions = true, version = "contentgen 0.1.0",
        description = "Runs long content-generation jobs and streams every step over Server-Sent Events.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        int exit = new CommandLine(new Main())
                .registerConverter(java.time.Duration.class, new DurationConverter())
                .execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
