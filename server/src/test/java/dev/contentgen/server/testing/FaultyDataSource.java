package dev.contentgen.server.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that fails on demand, in front of the real pool: every connection ("the database
 * is down"), only statements whose SQL contains a given text, or the answer to a commit that
 * went through (the connection dropped after COMMIT was sent).
 */
public final class FaultyDataSource implements DataSource {
    private final DataSource real;
    private volatile boolean down;
    private volatile String failingSql;
    private final AtomicInteger lostCommitAnswers = new AtomicInteger();

    public FaultyDataSource(DataSource real) {
        this.real = real;
    }

    public void down(boolean down) {
        this.down = down;
    }

    /** Statements containing {@code sqlFragment} fail until this is called with null. */
    public void failStatementsContaining(String sqlFragment) {
        this.failingSql = sqlFragment;
    }

    /** The next {@code commits} commits take effect, then throw as if the connection dropped before the answer. */
    public void loseCommitAnswers(int commits) {
        lostCommitAnswers.set(commits);
    }

    /** Commits whose answer is still to be lost. */
    public int commitAnswersToLose() {
        return lostCommitAnswers.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("injected fault: database is down");
        }
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String fragment = failingSql;
                    if (fragment != null && method.getName().startsWith("prepare") && args != null
                            && args[0] instanceof String sql && sql.contains(fragment)) {
                        throw new SQLTransientConnectionException("injected fault: statement on '" + fragment + "' failed");
                    }
                    Object result;
                    try {
                        result = method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit") && lostCommitAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLTransientConnectionException("injected fault: connection lost after COMMIT was sent");
                    }
                    return result;
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
