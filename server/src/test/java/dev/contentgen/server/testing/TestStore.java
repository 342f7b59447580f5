package dev.contentgen.server.testing;

import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.StoreLocation;
import dev.contentgen.server.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The stores a test runs against: a real SQLite file, or a fresh database of its own on the
 * PostgreSQL server at 127.0.0.1:5432 (so tests can run in any order). Databases made here are
 * dropped when the test JVM exits; .ci/run also drops any left by a killed run.
 */
public enum TestStore {
    SQLITE, POSTGRESQL;

    public static final String SERVER = "127.0.0.1:5432";
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(TestStore::drop)));
    }

    /** A node config on this store; {@code dir} holds the SQLite file when there is one. */
    public Config config(Path dir) {
        Config config = TestNodes.config(dir);
        return this == SQLITE ? config : config.withDb(freshPostgresUrl());
    }

    /** Opens this store on its own (no node), through {@code wrapper} (e.g. a FaultyDataSource). */
    public Database open(Path dir, UnaryOperator<DataSource> wrapper) {
        return open(config(dir), wrapper);
    }

    /** Opens the store a node of {@code config} uses, beside that node (e.g. to act as another node would). */
    public static Database open(Config config, UnaryOperator<DataSource> wrapper) {
        return switch (config.store()) {
            case StoreLocation.Sqlite s -> Database.openSqlite(s.file(), 4, wrapper);
            case StoreLocation.Postgres p -> Database.openPostgres(p.jdbcUrl(), p.user(), p.password(), 4, wrapper);
        };
    }

    /** A new, empty PostgreSQL database: {@code postgresql://postgres@127.0.0.1:5432/cg_test_…}. */
    public static String freshPostgresUrl() {
        String name = "cg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
        CREATED.add(name);
        return "postgresql://postgres@" + SERVER + "/" + name;
    }

    private static void drop(String name) {
        try {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (RuntimeException e) {
            // Best effort at exit; .ci/run sweeps leftovers.
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", "postgres", null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for this test (" + sql + "): " + e.getMessage(), e);
        }
    }
}
