package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The adapter families a job can train; JSON uses the lower-case names. */
public enum AdapterType {
  /** One low-rank pair per target module (Hu et al., LoRA). */
  @JsonProperty("lora")
  LORA,
  /** A routed mixture of low-rank experts per target module (Luo et al., MoELoRA). */
  @JsonProperty("moelora")
  MOELORA;

  /** The JSON name, e.g. {@code "moelora"}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
