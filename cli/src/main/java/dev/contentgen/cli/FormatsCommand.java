package dev.contentgen.cli;

import dev.contentgen.api.FormatList;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contentgen formats}: the formats the server offers, with their options and steps. */
@Command(name = "formats", mixinStandardHelpOptions = true,
        description = "Lists the formats the server offers (its shipped ones and any from its --formats-dir).")
final class FormatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return server.withClient(client -> {
            FormatList list = client.formats().list();
            for (FormatList.Entry f : list.formats()) {
                out.printf("%-20s %s%s%n", f.name(), f.label(), f.name().equals(list.defaultFormat()) ? " (default)" : "");
                out.printf("%-20s   %s%n", "", f.description());
                out.printf("%-20s   steps: %s -> %s%n", "", f.steps().stream()
                        .map(s -> s.repeat() ? s.kind() + " x" + f.options().parts().values().stream().map(String::valueOf)
                                .collect(Collectors.joining("/")) : s.kind())
                        .collect(Collectors.joining(", ")), f.assembly().kind());
                out.printf("%-20s   tones: %s; lengths: %s%n", "", f.options().tones().stream().map(Tone::wireName)
                        .collect(Collectors.joining(", ")), f.options().lengths().stream().map(Length::wireName)
                        .collect(Collectors.joining(", ")));
            }
            out.flush();
            return 0;
        });
    }
}
