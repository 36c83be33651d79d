package io.moelora.gateway.security;

import io.moelora.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The access and size rules the request filters apply. A bean of its own because filters are
 * created before runtime configuration exists; this one is created on the first request.
 */
@ApplicationScoped
public class AccessPolicy {

  private final GatewayConfig.Auth auth;
  private final GatewayConfig.Limits limits;
  private final BearerTokens tokens;

  AccessPolicy(GatewayConfig config) {
    this.auth = config.auth();
    this.limits = config.limits();
    // Without a token and without "disabled" the application does not start (GatewayRuntime).
    this.tokens = auth.token().filter(t -> !t.isBlank()).map(BearerTokens::new).orElse(null);
  }

  /** True when a read (or a write) must carry the token. */
  public boolean needsToken(boolean read) {
    return !auth.disabled() && (!read || auth.protectReads());
  }

  /** True when {@code presented} is the configured token (constant time). */
  public boolean accepts(String presented) {
    return tokens != null && tokens.matches(presented);
  }

  /** The body limit of a request path, in bytes. */
  public long bodyLimit(String path) {
    return path.endsWith("/examples") ? limits.maxExamplesBytes().asLongValue() : limits.maxRequestBytes().asLongValue();
  }
}
