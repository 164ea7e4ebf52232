package org.jobhost.host.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The crash inputs fuzzing found in the frame reader, kept as regression tests of their fixes. */
class ProtocolFindingsTest {

  @Test
  void aRunFrameWithAnAttemptBelowOneIsACorruptFrame() throws IOException {
    byte[] crash = seed("attempt-out-of-range");
    assertThatThrownBy(
            () -> {
              DataInputStream in = new DataInputStream(new ByteArrayInputStream(crash));
              while (true) {
                Protocol.read(in);
              }
            })
        .isInstanceOf(IOException.class);
  }

  private static byte[] seed(String name) throws IOException {
    try (InputStream in =
        ProtocolFindingsTest.class.getResourceAsStream("ProtocolFindings/" + name)) {
      if (in == null) {
        throw new IOException("no seed ProtocolFindings/" + name);
      }
      return in.readAllBytes();
    }
  }
}
