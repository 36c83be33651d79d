package io.moelora.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Instants as ISO-8601 strings ({@code 2024-05-01T12:00:00Z}), readable in {@code kcat}. Written
 * by hand so that {@code events} needs no jsr310 module, only databind.
 */
final class InstantJson {

  private InstantJson() {}

  static SimpleModule module() {
    var module = new SimpleModule("moelora-instant");
    module.addSerializer(Instant.class, ToStringSerializer.instance);
    module.addDeserializer(Instant.class, new Deserializer());
    return module;
  }

  private static final class Deserializer extends StdScalarDeserializer<Instant> {

    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      String text = p.getText();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
            "expected an ISO-8601 instant such as 2024-05-01T12:00:00Z");
      }
    }
  }
}
