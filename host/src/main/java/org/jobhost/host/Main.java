package org.jobhost.host;

import java.util.List;
import org.jobhost.host.cli.Cli;
import org.jobhost.host.config.ConfigLoader;
import org.jobhost.host.process.Posix;
import org.jobhost.host.service.ServiceRuntime;
import org.jobhost.host.signal.SignalBridge;

/**
 * The {@code jobhost} command. The stray signals are taken over first (except by the short control
 * commands, {@link Cli#takesStraySignals}); for {@code run}, the daemon is built (and its signal
 * handlers installed) before anything else happens (the service layer loads native access later, in
 * its {@code starting} hook); every other command goes to {@link Cli}.
 */
public final class Main {

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    List<String> line = List.of(args);
    if (Cli.takesStraySignals(line)) {
      SignalBridge.forProcess();
    }
    System.exit(execute(line));
  }

  /** Runs the command; returns the exit code. */
  public static int execute(List<String> args) {
    return new Cli(ConfigLoader.forThisProcess(), Main::runDaemon).execute(args);
  }

  private static int runDaemon(Cli.RunOptions options) {
    Daemon daemon =
        new Daemon(
            options.loader(),
            options.config(),
            options.overrides(),
            options.exitWhenIdle(),
            new ServiceRuntime(
                new ServiceRuntime.Options(options.daemonized(), System.getenv()),
                () -> Posix.load().nativePosix()));
    return daemon.run();
  }
}
