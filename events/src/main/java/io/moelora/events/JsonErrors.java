package io.moelora.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's binding failures into one short line that starts with the JSON path of the
 * offending field, e.g. {@code adapter.rank: ...} or {@code rows[1].rank is required}.
 */
final class JsonErrors {

  private static final Pattern MISSING =
      Pattern.compile("Missing required creator property '([^']+)'");

  private static final Pattern HINT = Pattern.compile(" \\((but|although) [^)]*\\)");

  private JsonErrors() {}

  static String describe(JsonProcessingException e) {
    String path = e instanceof JsonMappingException m ? path(m) : "";
    IllegalArgumentException invalid = validationFailure(e);
    if (invalid != null) {
      // Record messages name their field relative to the record; only a record inside a list
      // needs its position spelled out (nested specs already use their full path).
      return path.endsWith("]") ? path + "." + invalid.getMessage() : invalid.getMessage();
    }
    String message = readable(EventCodec.firstLine(e.getOriginalMessage()));
    if (e instanceof MismatchedInputException) {
      Matcher missing = MISSING.matcher(message);
      if (missing.find()) {
        return join(path, missing.group(1)) + " is required";
      }
    }
    return path.isEmpty() ? message : path + ": " + message;
  }

  // Jackson's texts carry package names and hints about its own configuration switches, which
  // mean nothing to the producer of the record; keep the part that describes the value.
  private static String readable(String message) {
    String text = HINT.matcher(message).replaceAll("")
        .replace("io.moelora.events.", "").replace("java.lang.", "").replace("java.util.", "");
    int advice = text.indexOf(": disable ");
    return advice < 0 ? text : text.substring(0, advice);
  }

  private static IllegalArgumentException validationFailure(JsonProcessingException e) {
    if (!(e instanceof ValueInstantiationException)) {
      return null;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException iae) {
        return iae;
      }
    }
    return null;
  }

  private static String path(JsonMappingException e) {
    var path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  // Depending on where Jackson notices a missing property, the path may already end with it.
  private static String join(String path, String field) {
    if (path.equals(field) || path.endsWith("." + field)) {
      return path;
    }
    return path.isEmpty() ? field : path + "." + field;
  }
}
