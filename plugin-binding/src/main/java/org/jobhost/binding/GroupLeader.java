package org.jobhost.binding;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * The wait after a job's child is started under {@code setsid}: until the child leads a process
 * group of its own, that group does not exist, so a TERM sent to it would find nothing, the group
 * would look gone, and the child would run on unseen once it got there. The host's process groups
 * and the test kit's job context both wait with this, so a plugin's tests see what the daemon does.
 */
public final class GroupLeader {

  private GroupLeader() {}

  /**
   * Waits until {@code child} leads its own group, is gone, or {@code max} has passed; takes well
   * under a millisecond on a quiet machine. An interrupt does not end the wait early; it is kept
   * for the caller.
   *
   * @param groupOf the process group of a pid, or the pid itself when it cannot be read (a process
   *     that cannot be read is not waited for)
   */
  public static void await(Process child, Duration max, LongUnaryOperator groupOf) {
    long pid = child.pid();
    long until = System.nanoTime() + max.toNanos();
    boolean interrupted = false;
    while (child.isAlive() && groupOf.applyAsLong(pid) != pid && System.nanoTime() < until) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
