package dev.contentgen.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the statements that keep jobs and artifacts in step with appended events go: run one by
 * one ({@link #immediate}), or gathered per statement and run as one JDBC batch each
 * ({@link #gathering}), for a batch of appends from many jobs. On PostgreSQL each statement run
 * alone is a round trip; under 1,000 concurrent jobs the projections of a group's steps that began
 * or ended took a third of its transaction's time, one round trip after another.
 *
 * <p>Gathered statements run in the order given, the order their rows depend on each other (an
 * artifact's row exists before it completes, a checkpoint or a usage row reads its step), so one
 * job's "created" and "completed" of the same artifact in one batch still land in that order.
 */
final class Projections {
    /** A typed SQL NULL, for columns other than text. */
    record Null(int sqlType) {}

    private final Connection connection;
    private final boolean gather;
    private final List<String> order;
    private final Map<String, PreparedStatement> gathered = new HashMap<>();
    private boolean deliveriesQueued;

    private Projections(Connection connection, boolean gather, List<String> order) {
        this.connection = connection;
        this.gather = gather;
        this.order = order;
    }

    /** Runs each statement as it comes. */
    static Projections immediate(Connection c) {
        return new Projections(c, false, List.of());
    }

    /** Gathers statements until {@link #flush}; {@code order} lists every statement it may be given, in the order they run. */
    static Projections gathering(Connection c, List<String> order) {
        return new Projections(c, true, order);
    }

    void run(String sql, Object... args) throws SQLException {
        if (!gather) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, args);
                int rows = statement.executeUpdate();
                deliveriesQueued |= sql.equals(WebhookStore.ENQUEUE) && rows > 0;
            }
            return;
        }
        if (!order.contains(sql)) {
            throw new IllegalArgumentException("a gathered statement must have its place in the order: " + sql);
        }
        PreparedStatement statement = gathered.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            gathered.put(sql, statement);
        }
        bind(statement, args);
        statement.addBatch();
    }

    /** The connection, for a read that must see every statement given so far (what was gathered runs first). */
    Connection reading() throws SQLException {
        flush();
        return connection;
    }

    /** Runs what was gathered, one batch per statement, in order. */
    void flush() throws SQLException {
        SQLException failure = null;
        for (String sql : order) {
            PreparedStatement statement = gathered.remove(sql);
            if (statement == null) {
                continue;
            }
            try (statement) {
                if (failure != null) {
                    continue;
                }
                int[] rows = statement.executeBatch();
                if (sql.equals(WebhookStore.ENQUEUE)) {
                    for (int n : rows) {
                        // A driver that cannot count rows of a batch says so; waking the deliverer for nothing is harmless.
                        deliveriesQueued |= n > 0 || n == Statement.SUCCESS_NO_INFO;
                    }
                }
            } catch (SQLException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether a statement run so far queued a webhook delivery. */
    boolean deliveriesQueued() {
        return deliveriesQueued;
    }

    static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case null -> statement.setNull(i + 1, Types.VARCHAR);
                case Null n -> statement.setNull(i + 1, n.sqlType());
                case String s -> statement.setString(i + 1, s);
                case Long l -> statement.setLong(i + 1, l);
                case Integer n -> statement.setInt(i + 1, n);
                case Double d -> statement.setDouble(i + 1, d);
                case Boolean b -> statement.setBoolean(i + 1, b);
                default -> throw new IllegalArgumentException("no JDBC binding for " + args[i].getClass());
            }
        }
    }
}
