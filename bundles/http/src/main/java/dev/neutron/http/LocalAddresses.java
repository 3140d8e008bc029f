package dev.neutron.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Which addresses are loopback, and the names and addresses of this machine. */
final class LocalAddresses {
    private LocalAddresses() {
    }

    /** Whether {@code host} (a name or an address literal, IPv6 with or without brackets) is loopback only. */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String bare = host.strip();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if ("localhost".equalsIgnoreCase(bare)) {
            return true;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A bind host that listens on every interface ({@code 0.0.0.0}, {@code ::}, or none at all). */
    static boolean isWildcard(String host) {
        if (host == null || host.isBlank()) {
            return true;
        }
        String bare = host.strip().replace("[", "").replace("]", "");
        return "0.0.0.0".equals(bare) || "::".equals(bare) || "0:0:0:0:0:0:0:0".equals(bare);
    }

    /**
     * The Host header names under which other machines reach this one: every interface address (IPv6 also in
     * brackets, without zone) and the host name.
     */
    static Set<String> ownNames() {
        Set<String> names = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    String text = address.getHostAddress();
                    int zone = text.indexOf('%');
                    text = (zone >= 0 ? text.substring(0, zone) : text).toLowerCase(Locale.ROOT);
                    names.add(text);
                    if (text.contains(":")) {
                        names.add("[" + text + "]");
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: the configured names still apply
        }
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(self.getHostName().toLowerCase(Locale.ROOT));
            names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            // a machine without a resolvable name is reached by address
        }
        return names;
    }
}
