package dev.contentgen.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/** The connection pool, migrated schema and Jdbi handle of one database. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Dialect dialect;

    private Database(HikariDataSource pool, DataSource forQueries, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(forQueries);
        // The store adds optional WHERE clauses (lease fences, cursors) while binding the same parameters.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true)
                // Jdbi's flight-recorder event carries each statement's bound values, the signing key among them:
                // a recording an operator takes (and may pass on) must not. 2 is the least it takes: all is cut to "…".
                .setJfrParamMaxLength(2);
    }

    /**
     * Opens (creating if needed) a SQLite file. {@code wrap} lets tests put a fault-injecting
     * DataSource between the store and the pool; migrations always use the pool directly.
     */
    public static Database openSqlite(Path file, int poolSize, UnaryOperator<DataSource> wrap) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory for " + file, e);
        }
        HikariConfig config = new HikariConfig();
        // IMMEDIATE transactions take the write lock up front, so two writers queue on
        // busy_timeout instead of failing with SQLITE_BUSY on lock upgrade.
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath()
                + "?foreign_keys=on&journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&transaction_mode=IMMEDIATE");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("contentgen-sqlite");
        config.setConnectionTimeout(5_000);
        return migrated(new HikariDataSource(config), wrap, Dialect.SQLITE);
    }

    /**
     * Opens a PostgreSQL database shared by any number of nodes. Migrations run once: Flyway
     * serialises nodes that start together with an advisory lock.
     */
    public static Database openPostgres(String jdbcUrl, String user, String password, int poolSize,
                                        UnaryOperator<DataSource> wrap) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("contentgen-postgresql");
        // Fail fast while the database is away: callers turn the failure into STORE_UNAVAILABLE and retry.
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(1_000);
        // A group's log rows go in as one multi-row INSERT instead of one statement each.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Start even when PostgreSQL is briefly unreachable; migrations below still need it.
        config.setInitializationFailTimeout(-1);
        return migrated(new HikariDataSource(config), wrap, Dialect.POSTGRESQL);
    }

    private static Database migrated(HikariDataSource pool, UnaryOperator<DataSource> wrap, Dialect dialect) {
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, wrap.apply(pool), dialect);
    }

    public Dialect dialect() {
        return dialect;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Publishes the pool's own meters ({@code hikaricp_connections_active}, idle, pending, acquire time, timeouts…). */
    public void publishMetrics(MeterRegistry meters) {
        pool.setMetricRegistry(meters);
    }

    /** Live pool figures (active, idle, waiting connections). */
    public HikariPoolMXBean poolStats() {
        return pool.getHikariPoolMXBean();
    }

    @Override
    public void close() {
        pool.close();
    }
}
