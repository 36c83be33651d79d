package io.moelora.gateway.rest;

import io.moelora.gateway.rest.problem.ApiException;
import java.util.regex.Pattern;

/** Ids in paths and query parameters have the events' id alphabet. */
final class PathIds {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private PathIds() {}

  static String require(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw ApiException.invalid(field, "must match " + ID.pattern());
    }
    return value;
  }

  static int range(String field, Integer value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw ApiException.invalid(field, "must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }
}
