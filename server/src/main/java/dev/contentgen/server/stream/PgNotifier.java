package dev.contentgen.server.stream;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.time.Backoff;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier of a PostgreSQL cluster: the store sends NOTIFY inside each appending transaction;
 * one listening connection per node (not per stream) receives them. It reconnects by itself, and
 * after a reconnect tells its listeners to re-sync, so a notification lost in the outage costs nothing.
 */
public final class PgNotifier implements Notifier {
    private static final Logger log = LoggerFactory.getLogger(PgNotifier.class);
    private static final int POLL_MILLIS = 500;
    private static final long LIVENESS_CHECK_NANOS = 5_000_000_000L;
    private static final Backoff RECONNECT = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final String jdbcUrl;
    private final Properties credentials = new Properties();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection current;

    public PgNotifier(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("connectTimeout", "2");
        credentials.setProperty("ApplicationName", "contentgen-listener");
        // A platform thread: it blocks in the driver's socket read for its whole life.
        this.thread = Thread.ofPlatform().name("pg-listener").daemon().unstarted(this::listenUntilClosed);
    }

    public PgNotifier start() {
        thread.start();
        return this;
    }

    /** Delivers on this node at once; other nodes hear it from the store's NOTIFY. */
    @Override
    public void publishAppended(String jobId, long lastSeq) {
        listeners.forEach(l -> l.onAppended(jobId, lastSeq));
    }

    @Override
    public void publishQueued(String jobId) {
        listeners.forEach(l -> l.onQueued(jobId));
    }

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    private void listenUntilClosed() {
        boolean connectedBefore = false;
        int failures = 0;
        while (running) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials)) {
                current = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + Store.EVENTS_CHANNEL);
                    statement.execute("LISTEN " + Store.QUEUE_CHANNEL);
                }
                if (connectedBefore) {
                    log.info("notifier reconnected to PostgreSQL; re-syncing open streams and workers");
                    listeners.forEach(Listener::onResync);
                }
                connectedBefore = true;
                failures = 0;
                receive(connection);
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (++failures == 1) {
                    listeners.forEach(Listener::onStoreUnreachable);
                }
                long backoff = RECONNECT.delay(failures).toMillis();
                log.warn("notifier lost its PostgreSQL connection, reconnecting in {} ms: {}", backoff, e.getMessage());
                sleep(backoff);
            }
        }
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long lastTraffic = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                lastTraffic = System.nanoTime();
                for (PGNotification n : notifications) {
                    dispatch(n.getName(), n.getParameter());
                }
            } else if (System.nanoTime() - lastTraffic > LIVENESS_CHECK_NANOS) {
                // A half-open connection delivers nothing and raises nothing; a query finds out.
                try (Statement statement = connection.createStatement()) {
                    statement.setQueryTimeout(2);
                    statement.execute("SELECT 1");
                }
                lastTraffic = System.nanoTime();
            }
        }
    }

    private void dispatch(String channel, String payload) {
        if (Store.EVENTS_CHANNEL.equals(channel)) {
            int colon = payload.lastIndexOf(':');
            String jobId = payload.substring(0, colon);
            long seq = Long.parseLong(payload.substring(colon + 1));
            listeners.forEach(l -> l.onAppended(jobId, seq));
        } else if (Store.QUEUE_CHANNEL.equals(channel)) {
            listeners.forEach(l -> l.onQueued(payload));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Connection connection = current;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing is best effort: the listener thread is a daemon and stops with the loop.
            }
        }
        thread.interrupt();
        listeners.clear();
    }
}
