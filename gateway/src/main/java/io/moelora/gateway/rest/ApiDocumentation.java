package io.moelora.gateway.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header (served at /q/openapi, Swagger UI at /q/swagger-ui). */
@OpenAPIDefinition(info = @Info(title = "MoELoRA Streams gateway", version = "1",
    description = "Jobs, training examples, leaderboards and live events of MoELoRA Streams. Write endpoints"
        + " need 'Authorization: Bearer <token>'; errors are application/problem+json naming the field and"
        + " the rule."))
@SecurityScheme(securitySchemeName = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer")
public class ApiDocumentation extends Application {

  /** The security scheme name write operations refer to. */
  public static final String BEARER = "bearer";
}
