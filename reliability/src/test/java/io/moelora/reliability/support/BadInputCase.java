package io.moelora.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of the bad-input corpus ({@code src/test/resources/bad-input/<group>/<name>.case.json}):
 * where it is sent, what is sent, and what must come of it.
 *
 * <p>Descriptor fields: {@code description}; {@code channel} ({@code kafka:<topic>} or
 * {@code http:<METHOD> <path>}); the payload as {@code payload} (a JSON string is sent as its text, any
 * other JSON value as its compact JSON), {@code payloadFile} (raw bytes next to the descriptor, for what
 * JSON text cannot hold, such as invalid UTF-8; placeholders are replaced in them too) or {@code tombstone: true} (a Kafka record without a
 * value); {@code generate} ({@code {"placeholder": "@big@", "repeat": "a", "times": 10485760}}) builds
 * huge strings at run time instead of committing them; {@code compression: "gzip"} (Kafka: sent
 * compressed, so the broker's size check sees the compressed size); {@code key} (Kafka; default: the payload's
 * {@code jobId}, else the case id); {@code contentType} and {@code auth} (HTTP; default
 * {@code application/json} and the valid token); {@code expect}: {@code outcome} one of {@link Outcome}
 * with {@code reason} (a substring of the DLQ reason header, the problem or reject reason, the refusal
 * message or the producer error) and, for HTTP, {@code status}.
 *
 * <p>Payload text, key and path may use {@code @case@} (the case id), {@code @job@} (a job the test has
 * created), {@code @store@} (the checkpoint store as a {@code file:} URI, no trailing slash) and
 * {@code @sha@} (64 hex characters derived from the case id, unique per case).
 */
public record BadInputCase(String id, String description, String channel, JsonNode descriptor, byte[] rawPayload,
    Outcome outcome, Integer status, String reason) {

  /** What the product must do with a case. */
  public enum Outcome {
    /** A record on the channel topic's DLQ, pointing at the record sent, with the reason header. */
    DLQ,
    /** A 4xx reply whose problem+json body carries the reason. */
    HTTP,
    /**
     * The upload endpoint takes bodies item by item: 200, nothing accepted, every item refused in the
     * reply with the reason; nothing reaches Kafka.
     */
    HTTP_ITEM_REFUSED,
    /** Larger than the topic allows: the broker refuses the write, so no consumer ever sees it. */
    REFUSED_BY_BROKER,
    /** A well-formed checkpoint event the evaluator refuses: an EvalProgress "refused" with the reason. */
    EVAL_REFUSED
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT = "bad-input";

  /** Every case under {@code bad-input/} on the test class path, by id. */
  public static List<BadInputCase> all() {
    URL root = BadInputCase.class.getClassLoader().getResource(ROOT);
    if (root == null) {
      throw new IllegalStateException(ROOT + "/ is not on the test class path");
    }
    try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
      Path base = Path.of(root.toURI());
      List<BadInputCase> cases = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".case.json")).sorted().toList()) {
        cases.add(read(base, file));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BadInputCase read(Path base, Path file) throws IOException {
    String rel = base.relativize(file).toString().replace('\\', '/');
    String id = rel.substring(0, rel.length() - ".case.json".length()).replace('/', '.');
    JsonNode d = JSON.readTree(file.toFile());
    JsonNode expect = d.path("expect");
    byte[] raw = d.hasNonNull("payloadFile") ? Files.readAllBytes(file.resolveSibling(d.get("payloadFile").asText()))
        : null;
    Outcome outcome = Outcome.valueOf(expect.path("outcome").asText().toUpperCase().replace('-', '_'));
    Integer status = expect.hasNonNull("status") ? expect.get("status").asInt() : null;
    String reason = expect.path("reason").asText("");
    if (reason.isEmpty() || !d.hasNonNull("channel") || !d.hasNonNull("description")) {
      throw new IllegalStateException(rel + ": needs description, channel and expect.reason");
    }
    return new BadInputCase(id, d.get("description").asText(), d.get("channel").asText(), d, raw, outcome, status,
        reason);
  }

  /** True for a Kafka case. */
  public boolean kafka() {
    return channel.startsWith("kafka:");
  }

  /** The topic of a Kafka case. */
  public String topic() {
    return channel.substring("kafka:".length());
  }

  /** The HTTP method of an HTTP case. */
  public String method() {
    return channel.substring("http:".length()).split(" ", 2)[0];
  }

  /** The request path of an HTTP case. */
  public String path(Map<String, String> vars) {
    return substitute(channel.substring("http:".length()).split(" ", 2)[1], vars);
  }

  public boolean tombstone() {
    return descriptor.path("tombstone").asBoolean(false);
  }

  public String contentType() {
    return descriptor.path("contentType").asText("application/json");
  }

  /** Whether the request carries the valid bearer token (every case but the auth ones). */
  public boolean auth() {
    return descriptor.path("auth").asBoolean(true);
  }

  /** The bytes to send (null for a tombstone). */
  public byte[] payload(Map<String, String> vars) {
    if (tombstone()) {
      return null;
    }
    if (rawPayload != null) {
      // Latin-1 maps every byte to one char and back, so placeholders are replaced and the rest of the
      // bytes (invalid UTF-8 included) stay exactly as they are.
      return substitute(new String(rawPayload, StandardCharsets.ISO_8859_1), vars).getBytes(StandardCharsets.ISO_8859_1);
    }
    JsonNode p = descriptor.get("payload");
    String text = p == null || p.isNull() ? "" : p.isTextual() ? p.asText() : p.toString();
    text = substitute(text, vars);
    JsonNode g = descriptor.get("generate");
    if (g != null) {
      text = text.replace(g.get("placeholder").asText(), g.get("repeat").asText().repeat(g.get("times").asInt()));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The Kafka key: explicit, else the payload's jobId, else the case id. */
  public String key(Map<String, String> vars) {
    if (descriptor.has("key")) {
      return descriptor.get("key").isNull() ? null : substitute(descriptor.get("key").asText(), vars);
    }
    JsonNode p = descriptor.get("payload");
    if (p != null && p.isObject() && p.path("jobId").isTextual()) {
      return substitute(p.get("jobId").asText(), vars);
    }
    return id;
  }

  /** The checkpoint id an {@link Outcome#EVAL_REFUSED} case announces. */
  public String checkpointId(Map<String, String> vars) {
    return substitute(descriptor.path("payload").path("checkpointId").asText(), vars);
  }

  /** The case's values for the placeholders, on top of the test's {@code vars}. */
  public Map<String, String> vars(Map<String, String> common) {
    var all = new java.util.HashMap<>(common);
    all.put("@case@", id);
    all.put("@sha@", sha256(id));
    return all;
  }

  private static String substitute(String text, Map<String, String> vars) {
    String out = text;
    for (var e : vars.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
