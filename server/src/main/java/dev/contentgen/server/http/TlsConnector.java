package dev.contentgen.server.http;

import java.time.Duration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The node's port with TLS: HTTP/2 for clients that offer it by ALPN (every browser), HTTP/1.1 for
 * the rest. Over HTTP/2 a browser multiplexes all its tabs' streams and API calls on one connection,
 * instead of stalling at six connections per host.
 */
final class TlsConnector {
    private TlsConnector() {}

    /**
     * @param writeTimeout how long one HTTP/2 stream may make no progress: over HTTP/2 many streams share a
     *                     connection, so a reader that stops reading is cut by its stream's idle timeout, not the connection's
     */
    static ServerConnector create(Server server, HttpConfiguration plain, PemKeyStore.Loaded identity, String host, int port,
                                  Duration writeTimeout) {
        HttpConfiguration https = new HttpConfiguration(plain);
        https.setSecureScheme("https");
        https.addCustomizer(new SecureRequestCustomizer());

        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        h2.setStreamIdleTimeout(writeTimeout.toMillis());
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
        // A client that offers no ALPN at all (curl --http1.1, old tools) speaks HTTP/1.1.
        alpn.setDefaultProtocol(http11.getProtocol());

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(identity.keyStore());
        ssl.setKeyStorePassword(identity.password());
        ssl.setKeyManagerPassword(identity.password());
        // HTTP/2 forbids some ciphers (RFC 9113, appendix A): prefer the allowed ones so ALPN can pick h2.
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);

        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(PlainConnector.ACCEPT_QUEUE);
        return connector;
    }
}
