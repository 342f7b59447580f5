package dev.contentgen.cli;

import dev.contentgen.api.Format;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code contentgen} command. */
@Command(name = "contentgen", mixinStandardHelpOptions = true, version = "contentgen 0.1.0",
        description = "Runs long content-generation jobs and streams every step over Server-Sent Events.",
        subcommands = {ServeCommand.class, GenerateCommand.class, RegenerateCommand.class, RevisionsCommand.class, WatchCommand.class, JobsCommand.class, FormatsCommand.class, KeysCommand.class, WebhooksCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** The command line with its converters and error handling, as main runs it (tests run it the same way). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .registerConverter(Duration.class, new DurationConverter())
                // The server knows which formats it offers (contentgen formats); only the name's shape is checked here.
                .registerConverter(Format.class, value -> Format.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                        "'" + value + "' is not a format name (lowercase words joined by hyphens); see: contentgen formats")))
                .registerConverter(Tone.class, wireName("tone", Tone::parse, Tone.values(), Tone::wireName))
                .registerConverter(Length.class, wireName("length", Length::parse, Length.values(), Length::wireName))
                .registerConverter(JobStatus.class, wireName("status", Main::jobStatus, JobStatus.values(), JobStatus::wireName))
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("contentgen: " + e);
                    return ExitCode.OTHER_ERROR;
                });
    }

    private static Optional<JobStatus> jobStatus(String value) {
        String wire = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(JobStatus.values()).filter(s -> s.wireName().equals(wire)).findFirst();
    }

    private static <T> CommandLine.ITypeConverter<T> wireName(String what, Function<String, Optional<T>> parse,
                                                             T[] values, Function<T, String> name) {
        String allowed = Arrays.stream(values).map(name).collect(Collectors.joining(", "));
        return value -> parse.apply(value).orElseThrow(() ->
                new CommandLine.TypeConversionException("unknown " + what + " '" + value + "'; use one of: " + allowed));
    }
}
