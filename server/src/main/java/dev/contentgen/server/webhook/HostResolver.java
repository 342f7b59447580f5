package dev.contentgen.server.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a webhook's host name: the system's DNS, or a test's scripted answers. */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
