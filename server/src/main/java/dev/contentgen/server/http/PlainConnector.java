package dev.contentgen.server.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The node's HTTP/1.1 port (without TLS): Javalin's own connector but for the length of its accept queue. Jetty
 * leaves that to the JDK, which asks the kernel for 50: when more clients connect at once (a thousand browser tabs
 * reconnecting after a deploy), the kernel drops the SYNs past 50 and each of those clients waits a second or more
 * to try again, however idle the node is.
 */
final class PlainConnector {
    /** Connections the kernel holds for the node before it accepts them; capped by {@code net.core.somaxconn}. */
    static final int ACCEPT_QUEUE = 4096;

    private PlainConnector() {}

    static ServerConnector create(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }
}
