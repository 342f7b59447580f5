package dev.contentgen.server.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves a webhook host once per connection and hands the HTTP client exactly the addresses the
 * policy checked, so a DNS answer that changes between the check and the connect (rebinding)
 * cannot lead the node to an address it refuses.
 */
final class CheckedResolver implements SocketAddressResolver {
    /** The policy refused every address of the host: the attempt ends without a connection. */
    static final class Refused extends IOException {
        Refused(String reason) {
            super(reason);
        }
    }

    private final HostResolver dns;
    private final AddressPolicy policy;

    CheckedResolver(HostResolver dns, AddressPolicy policy) {
        this.dns = dns;
        this.policy = policy;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        InetAddress[] addresses;
        try {
            addresses = dns.resolve(host);
        } catch (UnknownHostException e) {
            // Not a refusal: DNS trouble may pass, so the attempt is retried like a refused connection.
            promise.failed(new UnknownHostException("the host " + host + " does not resolve"));
            return;
        } catch (RuntimeException e) {
            promise.failed(e);
            return;
        }
        Optional<String> refusal = policy.refusal(host, addresses);
        if (refusal.isPresent()) {
            promise.failed(new Refused(refusal.get()));
            return;
        }
        promise.succeeded(Arrays.stream(addresses).map(address -> new InetSocketAddress(address, port)).toList());
    }
}
