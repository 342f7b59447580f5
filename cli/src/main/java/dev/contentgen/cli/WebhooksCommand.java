package dev.contentgen.cli;

import dev.contentgen.api.Json;
import dev.contentgen.api.WebhookDeliveries;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contentgen webhooks JOB_ID [--redeliver DELIVERY_ID]}: a job's webhook deliveries with every attempt, or one delivered again. */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "Lists a job's webhook deliveries with every attempt, or redelivers one (--redeliver).")
final class WebhooksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "JOB_ID")
    String jobId;

    @Option(names = "--redeliver", paramLabel = "DELIVERY_ID",
            description = "Deliver this one again now, under the same webhook-id, with a fresh retry period (also after a 410).")
    String redeliver;

    @Option(names = "--json", description = "Print the deliveries as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return server.withClient(client -> {
            if (redeliver != null) {
                client.webhooks().redeliver(jobId, redeliver);
                out.println("redelivering " + redeliver + " (see: contentgen webhooks " + jobId + ")");
                out.flush();
                return ExitCode.COMPLETED;
            }
            WebhookDeliveries listing = client.webhooks().deliveries(jobId);
            if (json) {
                out.println(Json.write(listing));
            } else {
                print(listing, out);
            }
            out.flush();
            return ExitCode.COMPLETED;
        });
    }

    private void print(WebhookDeliveries listing, PrintWriter out) {
        if (listing.endpoint() == null) {
            out.println("job " + jobId + " has no webhook");
            return;
        }
        WebhookDeliveries.Endpoint endpoint = listing.endpoint();
        out.println("webhook " + endpoint.url() + (endpoint.steps() ? " (terminal, step)" : " (terminal)")
                + (endpoint.keyId() == null ? "" : " - the default of key " + endpoint.keyId()));
        for (WebhookDeliveries.Delivery d : listing.deliveries()) {
            out.printf("%s  %-18s  %-9s  %d attempt%s%s%n", d.id(), d.type(), d.state(), d.attempts(), d.attempts() == 1 ? "" : "s",
                    d.nextAttemptAt() == null ? "" : "  next " + d.nextAttemptAt().truncatedTo(ChronoUnit.SECONDS));
            for (WebhookDeliveries.Attempt a : d.attemptLog()) {
                out.printf("    #%d  %s  %5d ms  %s%n", a.number(), a.startedAt().truncatedTo(ChronoUnit.SECONDS), a.durationMs(),
                        a.httpStatus() != null ? "HTTP " + a.httpStatus() : a.error());
            }
        }
        if (listing.deliveries().isEmpty()) {
            out.println("no deliveries yet");
        }
    }
}
