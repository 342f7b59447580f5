package dev.contentgen.server.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where a node keeps its jobs: a SQLite file (one node) or a PostgreSQL database (any number of nodes). */
public sealed interface StoreLocation {

    record Sqlite(Path file) implements StoreLocation {}

    /** {@code jdbcUrl} carries no credentials; they travel separately so they are never logged. */
    record Postgres(String jdbcUrl, String user, String password) implements StoreLocation {
        @Override
        public String toString() {
            return "Postgres[" + jdbcUrl + (user == null ? "" : ", user=" + user) + "]";
        }
    }

    /** What the logs may show: never a password. */
    default String describe() {
        return switch (this) {
            case Sqlite s -> "SQLite " + s.file().toAbsolutePath();
            case Postgres p -> "PostgreSQL " + p.jdbcUrl();
        };
    }

    /**
     * Parses {@code --db}: empty means SQLite under {@code dataDir}; {@code sqlite:PATH};
     * {@code postgresql://[user[:password]@]host[:port]/database[?params]} (also {@code postgres://}
     * and {@code jdbc:postgresql://…}).
     */
    static StoreLocation parse(String db, Path dataDir) {
        if (db == null || db.isBlank()) {
            return new Sqlite(dataDir.resolve("contentgen.db"));
        }
        String value = db.strip();
        if (value.startsWith("jdbc:")) {
            value = value.substring("jdbc:".length());
        }
        if (value.startsWith("sqlite:")) {
            return new Sqlite(Path.of(value.substring("sqlite:".length())));
        }
        if (value.startsWith("postgres://")) {
            value = "postgresql://" + value.substring("postgres://".length());
        }
        if (!value.startsWith("postgresql://")) {
            throw new IllegalArgumentException("--db must be sqlite:PATH or postgresql://[user[:password]@]host[:port]/database, not '"
                    + db.replaceAll(":[^:@/]*@", ":***@") + "'");
        }
        URI uri = URI.create(value);
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
            throw new IllegalArgumentException("--db postgresql URL needs a host and a database, e.g. postgresql://localhost/contentgen");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Postgres(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
