package dev.contentgen.cli;

import dev.contentgen.api.Json;
import dev.contentgen.api.KeyWebhook;
import dev.contentgen.server.store.WebhookEndpoint;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code contentgen keys webhook KEY_ID [--url URL [--steps] | --clear]}: shows, sets or clears a
 * key's default webhook, in the store or (with {@code --server}) through the admin API. Setting it
 * prints its new secret once, on stdout.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Shows, sets (--url, printing its new secret once) or clears (--clear) a key's default webhook: "
                + "jobs created with the key that name no webhook get a copy.")
final class KeyWebhookCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = false)
    KeysCommand.Target target = new KeysCommand.Target();

    @Parameters(paramLabel = "KEY_ID", description = "The key's id, as keys list shows it.")
    String id;

    @Option(names = "--url", description = "Set the default webhook to this http(s) URL (with a new secret).")
    String url;

    @Option(names = "--steps", description = "With --url: also deliver each completed step (artifact.completed), not only the job's end.")
    boolean steps;

    @Option(names = "--clear", description = "Remove the key's default webhook; jobs created before keep theirs.")
    boolean clear;

    @Option(names = "--json", description = "Print the default webhook as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (url != null && clear) {
            throw new ParameterException(spec.commandLine(), "--url and --clear do not go together");
        }
        if (steps && url == null) {
            throw new ParameterException(spec.commandLine(), "--steps goes with --url");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return target.run(err, keys -> {
            if (keys.find(id).isEmpty()) {
                err.println("contentgen: no key with id " + id + " (see contentgen keys list).");
                return ExitCode.NOT_FOUND;
            }
            if (clear) {
                keys.clearWebhook(id);
                return print(new KeyWebhook(id, null), out, err);
            }
            if (url != null) {
                return print(of(id, keys.setWebhook(id, url, steps), true), out, err);
            }
            return print(of(id, keys.webhook(id), false), out, err);
        }, client -> {
            if (clear) {
                client.keys().clearWebhook(id);
                return print(new KeyWebhook(id, null), out, err);
            }
            return print(url != null ? client.keys().setWebhook(id, url, steps) : client.keys().webhook(id), out, err);
        });
    }

    private static KeyWebhook of(String id, Optional<WebhookEndpoint> endpoint, boolean withSecret) {
        return new KeyWebhook(id, endpoint.map(e -> new KeyWebhook.Endpoint(e.url(),
                e.steps() ? List.of("terminal", "step") : List.of("terminal"), withSecret ? e.secret() : null)).orElse(null));
    }

    private int print(KeyWebhook webhook, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(Json.write(webhook));
        } else if (webhook.webhook() == null) {
            out.println("key " + webhook.keyId() + " has no default webhook");
        } else if (webhook.webhook().secret() != null) {
            err.printf("Key %s's default webhook is now %s (%s). Its signing secret is below, shown this once.%n",
                    webhook.keyId(), webhook.webhook().url(), String.join(", ", webhook.webhook().events()));
            err.flush();
            out.println(webhook.webhook().secret());
        } else {
            out.println(webhook.webhook().url() + " (" + String.join(", ", webhook.webhook().events()) + ")");
        }
        out.flush();
        return ExitCode.COMPLETED;
    }
}
