package org.jobhost.host.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What tells a plugin file from its replacement without reading it: the file's identity (inode),
 * size and modification time. A jar replaced by renaming a new file over it, as it should be, gets
 * a new identity; one rewritten in place a new size or time. Immutable.
 *
 * @param key the file system's identity of the file, or {@code null} where it has none
 * @param size the size in bytes
 * @param modifiedMillis the last modification time
 */
record FileStamp(Object key, long size, long modifiedMillis) {

  /** The stamp of a file that cannot be read: never equal to a real one. */
  static final FileStamp UNREADABLE = new FileStamp(null, -1, -1);

  /** The stamp of {@code file} now, or {@link #UNREADABLE}. */
  static FileStamp of(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
    } catch (IOException | RuntimeException e) {
      return UNREADABLE;
    }
  }

  /** Whether both stamps are of the same, unchanged file. */
  boolean same(FileStamp other) {
    return this != UNREADABLE
        && other != UNREADABLE
        && Objects.equals(key, other.key)
        && size == other.size
        && modifiedMillis == other.modifiedMillis;
  }
}
