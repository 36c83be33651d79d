package io.moelora.core.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * An order-independent checksum of a multiset of example ids: the sum (mod 2^64) of the first 8
 * bytes of each id's SHA-256. Training the same set of examples in any order gives the same value;
 * an example lost or trained twice changes it (with overwhelming probability), which is how a
 * stream's exactly-once training is checked from its checkpoints.
 */
public final class ExampleChecksum {

    private ExampleChecksum() {}

    /** The checksum contribution of one example id. */
    public static long of(String exampleId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(exampleId.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The checksum of {@code exampleIds}, counting repeats. */
    public static long of(Collection<String> exampleIds) {
        long sum = 0;
        for (String id : exampleIds) {
            sum += of(id);
        }
        return sum;
    }
}
