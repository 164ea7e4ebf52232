package org.jobhost.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Set;
import org.jobhost.api.PluginSettings;

/**
 * The {@code [plugins.web]} section. The plugin opens a port, so it serves only when the section
 * asks for it with a {@code listen} address; without one it stays loaded and idle. ({@code enabled}
 * is the host's key: {@code enabled = false} keeps the plugin from loading at all, and the plugin
 * never sees the key.) Immutable.
 *
 * @param serve whether to open the port
 * @param listen the address and port to serve on
 * @param tokenFile the file holding the token the control actions need, or {@code null}: then every
 *     action is refused and the dashboard is read-only
 */
record WebSettings(boolean serve, InetSocketAddress listen, Path tokenFile) {

  /** The loopback address the log suggests for {@code listen} when it is not set. */
  static final String DEFAULT_LISTEN = "127.0.0.1:9320";

  static final Set<String> KEYS = Set.of("listen", "token_file");

  /**
   * Reads and checks the section.
   *
   * @param home the directory a relative {@code token_file} resolves against
   * @throws org.jobhost.api.SettingsException naming the key, its place and the fix
   */
  static WebSettings from(PluginSettings s, Path home) {
    s.requireOnly(KEYS);
    boolean serve = s.has("listen");
    String listen = s.string("listen", DEFAULT_LISTEN);
    InetSocketAddress address;
    try {
      address = address(listen);
    } catch (IllegalArgumentException e) {
      throw s.invalid("listen", e.getMessage());
    }
    Path token = s.string("token_file").map(home::resolve).orElse(null);
    return new WebSettings(serve, address, token);
  }

  /** {@code host:port} or {@code [v6]:port} to an address; the host must be an IP literal. */
  static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "must be \"address:port\" such as \"" + DEFAULT_LISTEN + "\" (was \"" + text + "\")");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "has no valid port 0 to 65535 (was \"" + text + "\"); write it as \"127.0.0.1:9320\"");
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new IllegalArgumentException(
          "must name an IP address, not a host name (was \""
              + text
              + "\"); write \"127.0.0.1:"
              + port
              + "\" for loopback");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("is not an IP address (was \"" + text + "\")");
    }
  }
}
