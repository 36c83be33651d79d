package io.moelora.gateway.rest;

import io.moelora.gateway.rest.problem.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A request body that answers 413 as soon as more than its limit has been read. */
public final class LimitedBody extends FilterInputStream {

  private final long limit;
  private long read;

  public LimitedBody(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  /** The whole body as UTF-8 text, at most {@code limit} bytes. */
  public static String text(InputStream in, long limit) throws IOException {
    try (var body = new LimitedBody(in, limit)) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Bytes read so far. */
  public long bytesRead() {
    return read;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) {
    read += n;
    if (read > limit) {
      throw ApiException.tooLarge("the body is larger than the limit of " + limit + " bytes", limit);
    }
  }
}
