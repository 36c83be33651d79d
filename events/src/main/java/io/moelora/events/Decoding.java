package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the eval service generates answers (see PROTOCOL.md, "Decoding"). */
public enum Decoding {
  /** The reference protocol: deterministic beam search with 4 beams. */
  @JsonProperty("beam4")
  BEAM4,
  /** The fast variant; its scores are reported beside the reference ones, never instead. */
  @JsonProperty("greedy")
  GREEDY;

  /** The JSON name, e.g. {@code "beam4"}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
