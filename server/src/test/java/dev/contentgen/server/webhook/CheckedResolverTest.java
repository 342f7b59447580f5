package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a name that answers a public address to the check and a private one to the connect.
 * The resolver asks DNS once per connection and hands the connection the very addresses it checked.
 */
class CheckedResolverTest {
    /** Answers a public address the first time it is asked, loopback every time after: a rebinding name. */
    static final class Rebinding implements HostResolver {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return asked.getAndIncrement() == 0
                    ? new InetAddress[] {InetAddress.getByAddress(host, new byte[] {(byte) 203, 0, 113, 7})}
                    : new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        }
    }

    private static CompletableFuture<List<InetSocketAddress>> resolve(CheckedResolver resolver, String host, int port) {
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        resolver.resolve(host, port, java.util.Map.of(), Promise.from(result::complete, result::completeExceptionally));
        return result;
    }

    @Test
    void aConnectionGetsExactlyTheAddressesThatWereCheckedAndDnsIsAskedOnce() throws Exception {
        Rebinding dns = new Rebinding();
        CheckedResolver resolver = new CheckedResolver(dns, new AddressPolicy(false));
        List<InetSocketAddress> first = resolve(resolver, "hooks.rebind.example", 443).get();
        // What the policy saw is what the connection uses: the public answer, not a second lookup's loopback.
        assertThat(first).extracting(a -> a.getAddress().getHostAddress()).containsExactly("203.0.113.7");
        assertThat(first).extracting(InetSocketAddress::getPort).containsExactly(443);
        assertThat(dns.asked).hasValue(1);

        // The next connection resolves again, and this time the name has rebound to loopback: refused, no address.
        Throwable refused = resolve(resolver, "hooks.rebind.example", 443).handle((ok, failure) -> failure).get();
        assertThat(refused).isInstanceOf(CheckedResolver.Refused.class).hasMessageContaining("127.0.0.1");
        assertThat(dns.asked).hasValue(2);
    }

    @Test
    void aNameThatDoesNotResolveIsAnErrorToRetryNotARefusal() {
        CheckedResolver resolver = new CheckedResolver(host -> {
            throw new UnknownHostException(host);
        }, new AddressPolicy(false));
        ExecutionException failed = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                () -> resolve(resolver, "nowhere.invalid", 80).get());
        assertThat(failed.getCause()).isInstanceOf(UnknownHostException.class).isNotInstanceOf(CheckedResolver.Refused.class)
                .hasMessageContaining("nowhere.invalid");
    }
}
