package io.moelora.kafkalocal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Formats a broker's data directory once, the way {@code kafka-storage.sh format} does.
 * Formatting again would write a new cluster id and strand the existing data, so a directory
 * that has {@code meta.properties} is left as it is.
 */
final class StorageFormat {

  private StorageFormat() {}

  /** Formats {@code dataDir} unless already formatted; returns whether it formatted. */
  static boolean ensureFormatted(Path dataDir) throws IOException {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return false;
    }
    Files.createDirectories(dataDir);
    String dir = dataDir.toAbsolutePath().toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(BrokerProperties.NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dir)
          .addDirectory(dir)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
    }
    return true;
  }
}
