package io.moelora.gateway.rest;

import java.util.Locale;
import java.util.Set;

/** The media types under which a body is read as YAML (a recipe file sent as it is). */
final class YamlTypes {

  // No registered type existed for years, so clients send any of these.
  private static final Set<String> YAML = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");

  private YamlTypes() {}

  static boolean isYaml(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    return YAML.contains(type);
  }
}
