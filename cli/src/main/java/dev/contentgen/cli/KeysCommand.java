package dev.contentgen.cli;

import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.Json;
import dev.contentgen.api.NewApiKey;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.config.StoreLocation;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.KeyStore;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code contentgen keys create|list|revoke|webhook}: API keys, straight in the store (the same
 * {@code --db}/{@code --data-dir} as {@code serve}, even while nodes run) or, with {@code --server},
 * through a remote cluster's admin API with an admin key.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Creates, lists and revokes API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class, KeyWebhookCommand.class})
final class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("contentgen keys: say which: create --name NAME, list or revoke KEY_ID.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    /** Where the keys are: a store of our own, or a server's admin API. */
    static final class Target {
        @Option(names = "--server", description = "Manage the keys of this server through its admin API (needs --api-key of an admin key). "
                + "Without it, the keys are changed in the store itself.")
        URI server;

        @Option(names = "--api-key", defaultValue = "${env:CONTENTGEN_API_KEY}",
                description = "With --server: an admin key (env CONTENTGEN_API_KEY).")
        String apiKey;

        @Option(names = "--data-dir", defaultValue = "${env:CONTENTGEN_DATA_DIR:-data}",
                description = "Without --server: the SQLite data directory, as given to serve (env CONTENTGEN_DATA_DIR; default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--db", defaultValue = "${env:CONTENTGEN_DB}",
                description = "Without --server: the store, as given to serve: sqlite:PATH or postgresql://… (env CONTENTGEN_DB).")
        String db;

        /** Runs {@code local} on the store, or {@code remote} on the server; the failure's message and exit code otherwise. */
        int run(PrintWriter err, Function<ApiKeys, Integer> local, Function<ContentGenClient, Integer> remote) {
            try {
                if (server != null) {
                    try (ContentGenClient client = ContentGenClient.builder().baseUrl(server).apiKey(apiKey).build()) {
                        return remote.apply(client);
                    }
                }
                StoreLocation location = StoreLocation.parse(db, dataDir);
                // No data-directory lock: key changes are small transactions beside a running node.
                try (Database database = switch (location) {
                    case StoreLocation.Sqlite sqlite -> Database.openSqlite(sqlite.file(), 2, UnaryOperator.identity());
                    case StoreLocation.Postgres pg -> Database.openPostgres(pg.jdbcUrl(), pg.user(), pg.password(), 2, UnaryOperator.identity());
                }) {
                    return local.apply(new ApiKeys(new KeyStore(database.jdbi(), Clock.systemUTC()), Clock.systemUTC()));
                }
            } catch (dev.contentgen.client.ContentGenException e) {
                err.println("contentgen: " + e.getMessage());
                return ExitCode.of(e.failure());
            } catch (IllegalArgumentException e) {
                err.println("contentgen: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            } catch (RuntimeException e) {
                err.println("contentgen: cannot reach the store: " + e.getMessage());
                return ExitCode.UNREACHABLE;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a key and prints its secret once (on stdout; the rest goes to stderr).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = false)
        Target target = new Target();

        @Option(names = "--name", required = true,
                description = "The owner the key's jobs belong to (keys with one name share jobs): lower-case letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--admin", description = "An admin key: sees every owner's jobs, manages keys, reads /metrics.")
        boolean admin;

        @Option(names = "--json", description = "Print the key and its secret as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return target.run(err, keys -> print(keys.create(name, admin), out, err),
                    client -> print(client.keys().create(name, admin), out, err));
        }

        private int print(NewApiKey created, PrintWriter out, PrintWriter err) {
            if (json) {
                out.println(Json.write(created));
            } else {
                err.printf("Created %skey %s for owner %s. Its secret is below, shown this once: the store keeps only a hash.%n",
                        created.key().admin() ? "admin " : "", created.key().id(), created.key().name());
                err.flush();
                out.println(created.secret());
            }
            out.flush();
            return ExitCode.COMPLETED;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every key (never a secret), newest first.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = false)
        Target target = new Target();

        @Option(names = "--json", description = "Print the keys as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return target.run(spec.commandLine().getErr(), keys -> print(keys.list(), out), client -> print(client.keys().list(), out));
        }

        private int print(List<ApiKeyInfo> keys, PrintWriter out) {
            if (json) {
                out.println(Json.write(keys));
            } else {
                out.printf("%-36s  %-20s  %-12s  %-5s  %-20s  %-20s  %s%n", "ID", "NAME", "PREFIX", "ADMIN", "CREATED", "LAST USED", "REVOKED");
                for (ApiKeyInfo k : keys) {
                    out.printf("%-36s  %-20s  %-12s  %-5s  %-20s  %-20s  %s%n", k.id(), k.name(), k.prefix(), k.admin() ? "yes" : "no",
                            shown(k.createdAt()), shown(k.lastUsedAt()), shown(k.revokedAt()));
                }
            }
            out.flush();
            return ExitCode.COMPLETED;
        }

        private static String shown(Instant at) {
            return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a key: refused at once, on every node.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = false)
        Target target = new Target();

        @Parameters(paramLabel = "KEY_ID", description = "The key's id, as keys list shows it.")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return target.run(err, keys -> {
                if (!keys.revoke(id)) {
                    err.println("contentgen: no key with id " + id + " (see contentgen keys list).");
                    return ExitCode.NOT_FOUND;
                }
                out.println("revoked " + id);
                return ExitCode.COMPLETED;
            }, client -> {
                client.keys().revoke(id);
                out.println("revoked " + id);
                return ExitCode.COMPLETED;
            });
        }
    }
}
