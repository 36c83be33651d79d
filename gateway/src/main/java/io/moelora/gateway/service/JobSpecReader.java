package io.moelora.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.EventSchema;
import io.moelora.events.JobSpec;
import io.moelora.events.Recipes;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.rest.problem.Violation;
import java.util.List;

/**
 * A job spec from a request body, validated exactly as every consumer of the jobs topic validates
 * it (the shared {@link EventCodec}), so what the API accepts no service rejects as malformed. The
 * one convenience: an absent {@code schemaVersion} means the current one. YAML bodies are read as
 * the recipe files are ({@link Recipes}: the same field names, and keys that are no field refused).
 */
final class JobSpecReader {

  private static final ObjectMapper TREE = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JobSpecReader() {}

  static JobSpec read(String body) {
    JsonNode tree;
    try {
      tree = TREE.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.invalid("the body is not JSON: " + e.getOriginalMessage(),
          List.of(new Violation("body", "must be a JSON object (a JobSpec)")));
    }
    if (tree == null || !tree.isObject()) {
      throw ApiException.invalid("body", "must be a JSON object (a JobSpec)");
    }
    return validate((ObjectNode) tree);
  }

  static JobSpec readYaml(String body) {
    ObjectNode tree;
    try {
      tree = Recipes.tree(body, true);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage();
      // An unknown key names its field; text that is no YAML object is the body's fault.
      String field = reason.startsWith("unknown field '")
          ? reason.substring("unknown field '".length(), reason.indexOf('\'', "unknown field '".length())) : "body";
      throw ApiException.invalid(reason, List.of(new Violation(field,
          field.equals("body") ? "must be a YAML object (a JobSpec): " + reason : reason)));
    }
    return validate(tree);
  }

  private static JobSpec validate(ObjectNode spec) {
    if (!spec.has("schemaVersion")) {
      spec.put("schemaVersion", EventSchema.CURRENT);
    }
    try {
      return EventCodec.fromJson(spec.toString(), JobSpec.class);
    } catch (EventFormatException e) {
      Violation violation = Violation.fromMessage(e.getMessage());
      throw ApiException.invalid(violation.field() + ": " + violation.rule(), List.of(violation));
    }
  }
}
