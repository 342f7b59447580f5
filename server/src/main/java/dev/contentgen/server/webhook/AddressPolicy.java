package dev.contentgen.server.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

/**
 * Which webhook URLs a node may call: http(s) only, and by default no host that resolves to a
 * loopback, link-local, private (site-local, unique-local) or unspecified address, so a job cannot
 * make the node probe its own network. Every address the host resolves to is checked, at each
 * connection, and the connection uses those very addresses (see {@link CheckedResolver}).
 */
public final class AddressPolicy {
    private final boolean allowPrivate;

    public AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * Why the node may not connect to {@code host} at {@code addresses} (every address it resolved
     * to), or empty when it may.
     */
    public Optional<String> refusal(String host, InetAddress[] addresses) {
        if (allowPrivate) {
            return Optional.empty();
        }
        if (addresses.length == 0) {
            return Optional.of("the host " + host + " has no address");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("the host " + host + " resolves to a non-public address (" + address.getHostAddress()
                        + "); an operator may allow such addresses with --webhook-allow-private");
            }
        }
        return Optional.empty();
    }

    /** Scheme and host only, without resolving: what the API checks when a job is created. */
    public static Optional<String> shapeRefusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http and https URLs are allowed");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return Optional.of("the URL has no host");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("the URL must not carry credentials");
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 16) {
            // fc00::/7, unique local: Java's isSiteLocalAddress covers only the old fec0::/10.
            return (b[0] & 0xfe) == 0xfc;
        }
        // 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8 are not public either.
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 || b[0] == 0;
    }
}
