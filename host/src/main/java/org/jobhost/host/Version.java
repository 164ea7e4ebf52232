package org.jobhost.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The host's version, from the build. Thread-safe. */
public final class Version {

  private static final String VERSION = read();

  private Version() {}

  /** The version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
