package org.jobhost.host.worker;

/**
 * Defects of {@link Protocol#read} that fuzzing found and that are not fixed yet, recognised
 * precisely so that fuzz runs go on looking for new ones. Each has a crash input in {@code
 * ProtocolFindings/} and a disabled test in {@link ProtocolFindingsTest}; remove the entry with the
 * fix.
 */
final class ProtocolKnownFindings {

  private ProtocolKnownFindings() {}

  /**
   * Whether {@code e}, thrown by {@link Protocol#read}, is a known finding: a field of a frame that
   * the value it builds rejects (an attempt below 1 in a RUN frame: {@code
   * IllegalArgumentException} from {@code Job}), or an outcome kind byte past the enum ({@code
   * ArrayIndexOutOfBoundsException}).
   */
  static boolean isKnown(RuntimeException e) {
    boolean fromRead = false;
    for (StackTraceElement f : e.getStackTrace()) {
      if (f.getClassName().equals(Protocol.class.getName()) && f.getMethodName().equals("read")) {
        fromRead = true;
        break;
      }
    }
    return fromRead
        && (e instanceof IllegalArgumentException || e instanceof ArrayIndexOutOfBoundsException);
  }
}
