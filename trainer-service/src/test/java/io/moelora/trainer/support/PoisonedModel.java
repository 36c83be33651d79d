package io.moelora.trainer.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.pretrain.PretrainListener;
import io.moelora.core.pretrain.PretrainOptions;
import io.moelora.core.pretrain.TinyBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A real model directory whose final norm weights are NaN: every forward pass gives NaN logits, so
 * every update is non-finite — what a diverging job looks like to the trainer.
 */
public final class PoisonedModel {

  private PoisonedModel() {}

  /** Writes the one-step pre-trained tiny base to {@code dir} and overwrites {@code model.norm.weight} with NaN. */
  public static Path write(Path dir) throws IOException {
    TinyBase.ensure(dir, PretrainOptions.defaults().withSteps(1), true, PretrainListener.NONE);
    Path weights = dir.resolve("model.safetensors");
    try (FileChannel file = FileChannel.open(weights, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      file.read(length, 0);
      int headerLength = (int) length.flip().getLong();
      ByteBuffer header = ByteBuffer.allocate(headerLength);
      file.read(header, 8);
      JsonNode offsets = new ObjectMapper().readTree(new String(header.array(), StandardCharsets.UTF_8))
          .path("model.norm.weight").path("data_offsets");
      if (offsets.size() != 2) {
        throw new IOException(weights + ": no model.norm.weight");
      }
      long start = 8 + headerLength + offsets.get(0).asLong();
      int floats = (int) (offsets.get(1).asLong() - offsets.get(0).asLong()) / 4;
      ByteBuffer nan = ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < floats; i++) {
        nan.putFloat(Float.NaN);
      }
      file.write(nan.flip(), start);
    }
    Files.deleteIfExists(dir.resolve("pretrain.json")); // no longer the recorded base
    return dir;
  }
}
