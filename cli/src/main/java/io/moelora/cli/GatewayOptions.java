package io.moelora.cli;

import picocli.CommandLine.Option;

/**
 * Where the gateway is and the token that opens its write endpoints: a picocli mixin shared by the
 * commands that talk to a gateway ({@code jobs}, {@code follow}, {@code experiment run}), public so that
 * commands in other packages mix in the same options.
 */
public final class GatewayOptions {

    @Option(names = "--gateway", defaultValue = "${env:MOELORA_GATEWAY_URL:-http://127.0.0.1:8080}",
            description = "gateway base URL (default: $MOELORA_GATEWAY_URL or http://127.0.0.1:8080)")
    String gateway;

    // No ${DEFAULT-VALUE} in the description: help must not print the token.
    @Option(names = "--token", defaultValue = "${env:MOELORA_GATEWAY_TOKEN}",
            description = "bearer token for writes, and for reads when the gateway protects them"
                    + " (default: $MOELORA_GATEWAY_TOKEN)")
    String token;

    public GatewayClient client() {
        return new GatewayClient(gateway, token);
    }
}
