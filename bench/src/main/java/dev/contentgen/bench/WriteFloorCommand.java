package dev.contentgen.bench;

import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The least a store can write to commit one small delta durably: rows as bare as a log row can be (a number for the
 * job, a number for the seq, the delta's text; with and without the (job, seq) key), each committed alone, as a job
 * alone commits its deltas. Bytes written per byte of text is then the floor under contentgen's own figure
 * ({@code bench/run.sh bytes}), whatever the stored format.
 */
@Command(name = "write-floor", mixinStandardHelpOptions = true,
        description = "Bytes a store writes per byte of text when each small row commits alone (WAL on PostgreSQL, WAL file on SQLite).")
final class WriteFloorCommand implements Callable<Integer> {
    @Option(names = "--db", description = "A PostgreSQL URL (postgresql://user@host:port/db); empty for SQLite under --data-dir.")
    String db;

    @Option(names = "--data-dir", defaultValue = "data")
    Path dataDir;

    @Option(names = "--rows", defaultValue = "2000")
    int rows;

    @Option(names = "--text-length", defaultValue = "25", description = "Characters per row: a 100-ms delta at 40 tokens/s is about 25.")
    int textLength;

    @Override
    public Integer call() throws Exception {
        boolean postgres = db != null && !db.isBlank();
        String text = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(textLength / 36 + 1).substring(0, textLength);
        for (boolean keyed : new boolean[] {true, false}) {
            String table = keyed ? "floor_keyed" : "floor_bare";
            try (Connection c = postgres ? postgres() : sqlite(table)) {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                    s.execute("CREATE TABLE " + table + " (job BIGINT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL"
                            + (keyed ? ", PRIMARY KEY (job, seq))" : ")") + (keyed && !postgres ? " WITHOUT ROWID" : ""));
                }
                long before = written(c, postgres, table);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (1, ?, ?)")) {
                    for (int seq = 1; seq <= rows; seq++) {
                        insert.setInt(1, seq);
                        insert.setString(2, text);
                        insert.executeUpdate(); // autocommit: one transaction per row
                    }
                }
                long bytes = written(c, postgres, table) - before;
                System.out.printf(Locale.ROOT, "store=%s table=%s rows=%d text=%d chars: %.2f bytes written per byte of text (%s)%n",
                        postgres ? "postgresql" : "sqlite", keyed ? "(job, seq) key" : "no index", rows, textLength,
                        bytes / (double) rows / textLength, postgres ? "WAL" : "WAL file, no checkpoint");
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + table);
                }
            }
        }
        return 0;
    }

    private Connection postgres() throws SQLException {
        // The URL as contentgen serve --db reads it (credentials travel apart from the JDBC URL).
        var location = (StoreLocation.Postgres) Config.defaults().toBuilder().db(db).build().store();
        return DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
    }

    private Connection sqlite(String table) throws Exception {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(table + ".db");
        Files.deleteIfExists(file);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL"); // as contentgen's store
            // Every frame a commit appends stays in the WAL file, so its growth is what the commits wrote.
            s.execute("PRAGMA wal_autocheckpoint=0");
        }
        return c;
    }

    private long written(Connection c, boolean postgres, String table) throws SQLException {
        if (postgres) {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
                r.next();
                return r.getLong(1);
            }
        }
        try {
            Path wal = dataDir.resolve(table + ".db-wal");
            return Files.exists(wal) ? Files.size(wal) : 0;
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
    }
}
