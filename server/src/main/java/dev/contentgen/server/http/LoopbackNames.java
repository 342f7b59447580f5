package dev.contentgen.server.http;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which {@code Host} header values name this machine's loopback interface. */
final class LoopbackNames {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

    private LoopbackNames() {}

    static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 300) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        String name;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || !(close == h.length() - 1 || PORT.matcher(h.substring(close + 1)).matches())) {
                return false;
            }
            name = h.substring(1, close);
            return name.equals("::1") || name.equals("0:0:0:0:0:0:0:1");
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            if (!PORT.matcher(h.substring(colon)).matches()) {
                return false;
            }
            name = h.substring(0, colon);
        } else {
            name = h;
        }
        // Browsers resolve localhost and *.localhost to loopback themselves (RFC 6761), so no DNS answer can rebind them.
        return name.equals("localhost") || name.endsWith(".localhost") || IPV4_LOOPBACK.matcher(name).matches();
    }
}
