package org.jobhost.host.worker;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Fuzzes the worker protocol's frame reader with arbitrary bytes, as a worker that went wrong (or
 * something else writing to its stdout) would send them: reading either yields messages or throws
 * {@link IOException} (an {@link java.io.EOFException} at the end), nothing else, and allocates at
 * most one frame ({@link Protocol#MAX_FRAME}) at a time. Seeds in {@code ProtocolFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class ProtocolFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void readingAnyBytesYieldsFramesOrAnIoException(byte[] bytes) {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    try {
      for (int i = 0; i < 1000; i++) {
        Protocol.read(in);
      }
    } catch (IOException expected) {
      // The documented failure: a corrupt or truncated stream.
    }
  }
}
