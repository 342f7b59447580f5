package dev.contentgen.server.notify;

import dev.contentgen.server.time.Backoff;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier of a PostgreSQL cluster: the store's writing transaction sends NOTIFY; one listening
 * connection per node (not per stream) hears every node's, this node's own included, so each is
 * delivered once. It survives any payload and reconnects by itself; after a reconnect or a payload
 * that was not ours it tells its listeners to re-sync, so a lost notification costs nothing.
 */
public final class PgNotifier implements Notifier {
    private static final Logger log = LoggerFactory.getLogger(PgNotifier.class);
    private static final int POLL_MILLIS = 500;
    private static final long LIVENESS_CHECK_NANOS = 5_000_000_000L;
    private static final int SHOWN_PAYLOAD = 64;
    private static final Backoff RECONNECT = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final String jdbcUrl;
    private final Properties credentials = new Properties();
    private final Listeners listeners = new Listeners();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean connected;
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

    /**
     * NOTIFY inside the transaction: PostgreSQL delivers it to every listening node exactly when the
     * transaction commits. All of a transaction's pointers share one NOTIFY: a NOTIFY in every
     * transaction serialises commits, so fewer of them is what lets grouped appends scale.
     */
    @Override
    public void beforeCommit(Connection transaction, List<Notification> notifications) throws SQLException {
        List<Notification.Message> messages = Notification.pack(notifications);
        if (messages.isEmpty()) {
            return;
        }
        // One round trip for every channel of the transaction (a creation has three: events, queue, jobs).
        String sql = "SELECT " + String.join(", ", java.util.Collections.nCopies(messages.size(), "pg_notify(?, ?)"));
        try (PreparedStatement notify = transaction.prepareStatement(sql)) {
            int at = 1;
            for (Notification.Message m : messages) {
                notify.setString(at++, m.channel());
                notify.setString(at++, m.payload());
            }
            try (ResultSet rs = notify.executeQuery()) {
                rs.next();
            }
        }
    }

    /** Nothing: this node hears its own NOTIFY on its listening connection, like every other node. */
    @Override
    public void afterCommit(List<Notification> notifications) {
    }

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean isConnected() {
        return connected && thread.isAlive();
    }

    private void listenUntilClosed() {
        boolean connectedBefore = false;
        int failures = 0;
        while (running) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials)) {
                current = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + Notification.EVENTS_CHANNEL);
                    statement.execute("LISTEN " + Notification.QUEUE_CHANNEL);
                    statement.execute("LISTEN " + Notification.JOBS_CHANNEL);
                }
                connected = true;
                if (connectedBefore) {
                    log.info("notifier reconnected to PostgreSQL; re-syncing open streams and workers");
                    listeners.resync();
                }
                connectedBefore = true;
                failures = 0;
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                connected = false;
                if (!running) {
                    return;
                }
                if (++failures == 1) {
                    listeners.storeUnreachable();
                }
                long backoff = RECONNECT.delay(failures).toMillis();
                // A RuntimeException here is a bug of ours or the driver's: reconnecting and re-syncing is still right.
                log.warn("notifier lost its PostgreSQL connection, reconnecting in {} ms: {}", backoff, e.toString());
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
                boolean foreign = false;
                for (PGNotification n : notifications) {
                    foreign |= !dispatch(n.getName(), n.getParameter());
                }
                if (foreign) {
                    listeners.resync();
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

    /** Delivers one notification; false when it was not ours (logged and dropped). */
    private boolean dispatch(String channel, String payload) {
        Optional<List<Notification>> notifications = Notification.parse(channel, payload);
        if (notifications.isEmpty()) {
            log.warn("notifier ignored a malformed notification on {} ({} characters): '{}'; re-syncing",
                    channel, payload == null ? 0 : payload.length(), shown(payload));
            return false;
        }
        notifications.get().forEach(listeners::deliver);
        return true;
    }

    /** At most {@value #SHOWN_PAYLOAD} characters, control characters replaced: the payload is anyone's text. */
    private static String shown(String payload) {
        if (payload == null) {
            return "";
        }
        String head = payload.length() > SHOWN_PAYLOAD ? payload.substring(0, SHOWN_PAYLOAD) + "…" : payload;
        return head.replaceAll("\\p{Cntrl}", "?");
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
        connected = false;
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
