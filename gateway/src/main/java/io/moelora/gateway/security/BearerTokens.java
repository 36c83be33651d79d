package io.moelora.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The configured API token, compared in constant time. */
final class BearerTokens {

  private final byte[] expected;

  BearerTokens(String token) {
    this.expected = sha256(token);
  }

  /**
   * True when {@code presented} is the token. Both sides are hashed first, so the comparison takes
   * the same time whatever the presented length and wherever the first difference lies.
   */
  boolean matches(String presented) {
    return MessageDigest.isEqual(expected, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
