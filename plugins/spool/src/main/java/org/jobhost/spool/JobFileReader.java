package org.jobhost.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a claimed job file without trusting what its name stands for: only a regular file, never
 * through a link, never more than {@code max_file_size} bytes. Immutable; thread-safe.
 */
final class JobFileReader {

  private final long maxFileSize;

  JobFileReader(long maxFileSize) {
    this.maxFileSize = maxFileSize;
  }

  /**
   * Reads a claimed entry of {@code active/}: a regular file (checked without following links, and
   * opened so that a link swapped in is not followed either) of at most {@code maxFileSize} bytes,
   * checked before and while reading, then parsed.
   *
   * @throws JobFile.Malformed for anything that is not a job file, saying why and what to do
   */
  JobFile read(Path claimed) throws JobFile.Malformed {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(claimed, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new JobFile.Malformed("cannot read its attributes (" + e + ")");
    }
    if (attrs.isSymbolicLink()) {
      throw new JobFile.Malformed(
          "is a symbolic link; the spool reads only regular files, never what a link points to;"
              + " copy the job file itself into incoming/");
    }
    if (!attrs.isRegularFile()) {
      throw new JobFile.Malformed(
          "is not a regular file (a named pipe, device, socket or directory); the spool reads only"
              + " regular files; write the job to a file and rename it into incoming/");
    }
    if (attrs.size() > maxFileSize) {
      throw tooBig(attrs.size());
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(claimed, LinkOption.NOFOLLOW_LINKS)) {
      content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileSize + 1));
    } catch (IOException e) {
      throw new JobFile.Malformed("cannot be read (" + e + "); check its permissions");
    }
    if (content.length > maxFileSize) {
      throw tooBig(content.length);
    }
    return JobFile.parse(content);
  }

  private JobFile.Malformed tooBig(long size) {
    return new JobFile.Malformed(
        "is "
            + size
            + " bytes, more than max_file_size ("
            + maxFileSize
            + " bytes); a job file holds a type and a few parameters: pass large data by path in"
            + " \"params\", or raise max_file_size in [plugins.spool]");
  }
}
