package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.testing.Api;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end as a user runs it: its own process, real exit codes, and Ctrl-C without a terminal. */
class CliProcessTest {
    @TempDir
    Path dir;

    @Test
    void generateInItsOwnProcessExits0AndWritesTheArticle() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--tokens-per-second", "0")) {
            Path article = dir.resolve("article.md");
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            Process cli = command("generate", "Processes all the way down", "--length", "short",
                    "--server", node.uri().toString(), "--out", article.toString())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(stderr);

            assertThat(cli.exitValue()).as(err).isEqualTo(ExitCode.COMPLETED);
            Api api = new Api(node.uri());
            var job = api.job(api.get("/api/jobs").as(JobPage.class).jobs().getFirst().id());
            assertThat(Files.readString(article)).isEqualTo(job.artifacts().getLast().content());
            assertThat(Files.readString(stdout)).contains("--- Outline (outline) ---");
            assertThat(err).as("plain lines without a terminal").contains("step 1/6: ").doesNotContain("\u001b[");
        }
    }

    @Test
    void ctrlCWithoutATerminalDetachesAndSaysHowToWatch() throws Exception {
        assumeFalse(sigintIgnored(), "this JVM was started with SIGINT ignored (a background job), so its children cannot get Ctrl-C");
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--tokens-per-second", "20")) {
            Process cli = command("generate", "Long enough to interrupt", "--server", node.uri().toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            List<String> err = new ArrayList<>();
            var errReader = new BufferedReader(new InputStreamReader(cli.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = errReader.readLine()) != null) {
                err.add(line);
                if (line.startsWith("step 1/")) {
                    // The stream is open and the job is running: now press Ctrl-C.
                    new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor();
                }
            }
            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(cli.exitValue()).as(String.join("\n", err)).isEqualTo(ExitCode.DETACHED);
            String id = new Api(node.uri()).get("/api/jobs").as(JobPage.class).jobs().getFirst().id();
            assertThat(err).anyMatch(l -> l.contains("detached; job " + id + " goes on. Watch it with: contentgen watch " + id));
            assertThat(new Api(node.uri()).job(id).status()).as("detaching does not cancel").isNotEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void ctrlCAtATerminalAsksAndCancelsTheJobWhenToldTo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs util-linux 'script' to give the CLI a terminal");
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--tokens-per-second", "20")) {
            // script(1) runs the CLI on a pseudo-terminal: what we write is typed, what it prints we read.
            // Its -c takes one shell command line (hence a one-word topic), run by $SHELL or, when that is
            // unset as under CI, by dash, which does not exec the command itself: the shell would then get
            // the Ctrl-C too and exit 130 for the CLI. "exec" makes the CLI the terminal's only process.
            String cli = "exec " + String.join(" ", command("generate", "Politeness", "--server", node.uri().toString()).command());
            Process terminal = new ProcessBuilder("/usr/bin/script", "-qefc", cli, "/dev/null").redirectErrorStream(true).start();
            var screen = new BufferedReader(new InputStreamReader(terminal.getInputStream(), StandardCharsets.UTF_8));
            var keyboard = terminal.getOutputStream();
            List<String> seen = new ArrayList<>();
            int c;
            StringBuilder line = new StringBuilder();
            boolean interrupted = false;
            boolean answered = false;
            while ((c = screen.read()) >= 0) {
                line.append((char) c);
                if (!interrupted && line.toString().contains("── Outline ──")) {
                    keyboard.write(3); // Ctrl-C: the terminal sends SIGINT to the CLI
                    keyboard.flush();
                    interrupted = true;
                }
                if (!answered && line.toString().contains("[c]ancel / [d]etach:")) {
                    keyboard.write("c\n".getBytes(StandardCharsets.US_ASCII));
                    keyboard.flush();
                    answered = true;
                }
                if (c == '\n') {
                    seen.add(line.toString());
                    line.setLength(0);
                }
            }
            assertThat(terminal.waitFor(30, TimeUnit.SECONDS)).isTrue();

            String output = String.join("", seen) + line;
            assertThat(answered).as(output).isTrue();
            assertThat(terminal.exitValue()).as(output).isEqualTo(ExitCode.JOB_CANCELLED);
            String id = new Api(node.uri()).get("/api/jobs").as(JobPage.class).jobs().getFirst().id();
            assertThat(new Api(node.uri()).job(id).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(output).contains("cancelling job " + id, "job " + id + " was cancelled");
        }
    }

    private static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Bit 2 (SIGINT) of SigIgn in /proc/self/status; children inherit an ignored SIGINT and cannot undo it. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> Long.parseUnsignedLong(l.substring(7).strip(), 16))
                .anyMatch(mask -> (mask & (1L << 1)) != 0);
    }
}
