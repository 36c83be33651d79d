package io.moelora.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * sha256 of every checkpoint file and one digest of the whole checkpoint: the sha256 of the lines
 * {@code "<name> <sha256>\n"} in {@link CheckpointFiles#CONTENT} order. The digest is what Kafka carries.
 *
 * @param files sha256 (hex) by file name
 * @param digest sha256 (hex) of the whole checkpoint
 */
public record Manifest(Map<String, String> files, String digest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hashes the content files of {@code dir}. */
    public static Manifest of(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder lines = new StringBuilder();
        for (String name : CheckpointFiles.CONTENT) {
            String sha = sha256(dir.resolve(name));
            files.put(name, sha);
            lines.append(name).append(' ').append(sha).append('\n');
        }
        return new Manifest(files, sha256(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format_version", 1);
        n.put("algorithm", "sha256");
        n.put("digest", digest);
        ObjectNode f = n.putObject("files");
        files.forEach(f::put);
        Files.writeString(dir.resolve(CheckpointFiles.MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    /** Reads the manifest of {@code dir} and checks every file and the digest against it. */
    public static Manifest verify(Path dir) {
        Path file = dir.resolve(CheckpointFiles.MANIFEST);
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CheckpointException(dir + ": no readable " + CheckpointFiles.MANIFEST + ": " + e.getMessage(), e);
        }
        Manifest actual = of(dir);
        for (String name : CheckpointFiles.CONTENT) {
            String claimed = n.path("files").path(name).asText("");
            if (!claimed.equals(actual.files().get(name))) {
                throw new CheckpointException(dir + ": " + name + " sha256 mismatch: manifest says '" + claimed
                        + "', file has " + actual.files().get(name));
            }
        }
        if (!actual.digest().equals(n.path("digest").asText(""))) {
            throw new CheckpointException(dir + ": checkpoint digest mismatch: manifest says '" + n.path("digest").asText("")
                    + "', files give " + actual.digest());
        }
        return actual;
    }

    static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file.getParent() + ": missing " + file.getFileName());
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new CheckpointException(file + ": cannot hash: " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
