package io.moelora.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * sha256 of a model file (as sha256sum prints it), or of a model directory's files (name, bytes) in name
 * order, so results name the exact model they came from.
 */
final class Digests {

    private Digests() {}

    static String of(Path model) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files;
            if (Files.isDirectory(model)) {
                try (Stream<Path> s = Files.list(model)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = List.of(model);
            }
            byte[] buf = new byte[1 << 20];
            for (Path f : files) {
                if (files.size() > 1) {
                    md.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                try (InputStream in = Files.newInputStream(f)) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        md.update(buf, 0, r);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
