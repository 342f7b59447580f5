package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook addresses a node calls: public ones only, unless the operator allows the rest. */
class AddressPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
            "100.64.0.1", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "224.0.0.1"})
    void nonPublicAddressesAreRefused(String address) throws Exception {
        assertThat(AddressPolicy.isPrivate(InetAddress.getByName(address))).isTrue();
        assertThat(new AddressPolicy(false).refusal("hooks.example", new InetAddress[] {InetAddress.getByName(address)}))
                .hasValueSatisfying(reason -> assertThat(reason).contains("non-public address"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1", "172.32.0.1"})
    void publicAddressesAreCalled(String address) throws Exception {
        assertThat(AddressPolicy.isPrivate(InetAddress.getByName(address))).isFalse();
        assertThat(new AddressPolicy(false).refusal("hooks.example", new InetAddress[] {InetAddress.getByName(address)})).isEmpty();
    }

    @Test
    void theOperatorMayAllowPrivateAddresses() throws Exception {
        assertThat(new AddressPolicy(true).refusal("127.0.0.1", new InetAddress[] {InetAddress.getByName("127.0.0.1")})).isEmpty();
    }

    @Test
    void everyAddressAHostResolvesToIsChecked() throws Exception {
        // One non-public address among several is enough to refuse.
        InetAddress[] mixed = {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.1")};
        assertThat(new AddressPolicy(false).refusal("hooks.example", mixed)).hasValueSatisfying(r -> assertThat(r).contains("10.0.0.1"));
        assertThat(new AddressPolicy(false).refusal("hooks.example", new InetAddress[0])).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "http:///nohost", "https://user:pw@example.com/x"})
    void onlyHttpAndHttpsUrlsWithAHostAndNoCredentials(String url) {
        assertThat(AddressPolicy.shapeRefusal(URI.create(url))).isPresent();
    }
}
