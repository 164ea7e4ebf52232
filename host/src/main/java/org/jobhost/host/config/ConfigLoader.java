package org.jobhost.host.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Builds a {@link Config} from defaults ← the TOML file ← environment variables ({@code
 * JOBHOST_MAX_WORKERS=4}) ← command-line overrides ({@code --set max_workers=4}), and reports every
 * problem together: it finds and parses the file; {@link Layers} puts the layers together, a {@code
 * ConfigReader} reads the settings through a {@link SettingReader}, and {@link Problems} collects
 * what is wrong. Thread-safe (stateless apart from its inputs).
 */
public final class ConfigLoader {

  /** The environment variable naming the configuration file. */
  public static final String CONFIG_ENV = "JOBHOST_CONFIG";

  /** The environment variable naming the installation directory. */
  public static final String HOME_ENV = "JOBHOST_HOME";

  /** The system property naming the installation directory (set by {@code bin/jobhost}). */
  public static final String HOME_PROPERTY = "jobhost.home";

  private final Path home;
  private final Map<String, String> env;

  /**
   * @param home the installation directory
   * @param env the environment (normally {@link System#getenv()})
   */
  public ConfigLoader(Path home, Map<String, String> env) {
    this.home = home.toAbsolutePath().normalize();
    this.env = Map.copyOf(env);
  }

  /** A loader for this process: the home from {@code -Djobhost.home}, $JOBHOST_HOME or the cwd. */
  public static ConfigLoader forThisProcess() {
    String h = System.getProperty(HOME_PROPERTY);
    if (h == null || h.isBlank()) {
      h = System.getenv(HOME_ENV);
    }
    Path home = h == null || h.isBlank() ? Path.of("") : Path.of(h);
    return new ConfigLoader(home, System.getenv());
  }

  /** The installation directory. */
  public Path home() {
    return home;
  }

  /**
   * Which file to read: {@code explicit} (from {@code --config}), else $JOBHOST_CONFIG, else {@code
   * conf/jobhost.toml} of the installation.
   */
  public Path locate(Path explicit) {
    if (explicit != null) {
      return explicit.toAbsolutePath().normalize();
    }
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    return home.resolve("conf").resolve("jobhost.toml");
  }

  /**
   * Loads and validates.
   *
   * @param explicit the file named on the command line, or {@code null}
   * @param overrides {@code key=value} settings from the command line
   * @throws ConfigException listing every problem
   */
  public Config load(Path explicit, List<String> overrides) {
    Path file = locate(explicit);
    Problems problems = new Problems();
    TomlTable root = null;
    boolean explicitlyNamed = explicit != null || env.containsKey(CONFIG_ENV);
    if (Files.isRegularFile(file)) {
      root = parse(file, problems);
    } else if (explicitlyNamed) {
      problems.add(
          "configuration file "
              + file
              + " does not exist; create it (conf/jobhost.toml of the installation lists every key)"
              + " or name another with --config");
    } else {
      file = null;
    }
    problems.throwIfAny(file);
    return new ConfigReader(home, new Layers(file, root, env, overrides, problems), problems)
        .read();
  }

  /** Parses a TOML file; each syntax error, and a file that cannot be read, is a problem. */
  private static TomlTable parse(Path file, Problems problems) {
    try {
      TomlParseResult parsed = Toml.parse(file);
      for (TomlParseError e : parsed.errors()) {
        problems.add(
            file
                + " line "
                + e.position().line()
                + " column "
                + e.position().column()
                + ": "
                + e.getMessage()
                + "; fix the TOML syntax there");
      }
      return parsed;
    } catch (CharacterCodingException e) {
      problems.add(
          file
              + " is not UTF-8 text, as TOML must be; save it as UTF-8 (iconv -f latin1 -t utf-8,"
              + " or your editor's encoding setting)");
    } catch (IOException e) {
      problems.add("cannot read " + file + ": " + e.getMessage() + "; check its permissions");
    } catch (RuntimeException | AssertionError e) {
      // The TOML library failed on input its own checks did not expect (an assertion of its own
      // where assertions are on): the file is still the operator's to fix, not a crash.
      problems.add(
          "cannot parse "
              + file
              + " as TOML ("
              + e
              + "); fix the TOML syntax: look for a malformed table header or a control"
              + " character");
    }
    return null;
  }
}
