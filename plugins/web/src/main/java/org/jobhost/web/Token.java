package org.jobhost.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The secret that control actions must present in the {@link #HEADER} header. Compared in constant
 * time: both sides are hashed first, so neither the content nor the length of the secret leaks
 * through the time a comparison takes. Immutable; thread-safe.
 */
final class Token {

  /** The request header that carries the token. */
  static final String HEADER = "X-Jobhost-Token";

  /** Refuses every action: no token file is configured. */
  static final Token NONE = new Token(null);

  private final byte[] digest;

  private Token(byte[] digest) {
    this.digest = digest;
  }

  /**
   * Reads the token: the file's first line, trimmed.
   *
   * @throws IllegalArgumentException when the file cannot be read, is empty, or others may read it
   */
  static Token read(Path file) {
    String text;
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IllegalArgumentException(
            "token_file " + file + " is readable by every user; run chmod 600 " + file);
      }
      text = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read token_file " + file + ": " + e + "; create it with a long random line", e);
    }
    if (text.length() < 16) {
      throw new IllegalArgumentException(
          "token_file "
              + file
              + " must hold a token of at least 16 characters on its first line (has "
              + text.length()
              + "); write one with: head -c 32 /dev/urandom | base64 > "
              + file);
    }
    return of(text);
  }

  static Token of(String secret) {
    return new Token(sha256(secret));
  }

  /** Whether actions are possible at all. */
  boolean configured() {
    return digest != null;
  }

  /** Whether {@code presented} is the token; false when none is configured or none presented. */
  boolean matches(String presented) {
    if (digest == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(presented.trim()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
