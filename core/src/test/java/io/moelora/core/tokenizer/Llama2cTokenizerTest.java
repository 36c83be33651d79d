package io.moelora.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;

/** run.c's encode/decode on the stories260K vocabulary. */
class Llama2cTokenizerTest {

    private static Llama2cTokenizer tok512() {
        return Llama2cTokenizer.load(SharedFiles.require("models/stories260K/tok512.bin"), 512);
    }

    @Test
    void encodesWithDummyPrefixAndMerges() {
        Llama2cTokenizer t = tok512();
        // " Once", " upon", " a", " time" are single pieces of the golden vector
        assertThat(t.encode("Once upon a time", true, false)).containsExactly(1, 403, 407, 261, 378);
        assertThat(t.encode("Once upon a time", true, true)).endsWith(2);
        assertThat(t.encode("", true, false)).containsExactly(1);
    }

    @Test
    void unknownCodePointsFallBackToBytesAndDecodeBack() {
        Llama2cTokenizer t = tok512();
        int[] ids = t.encode("Lily 🙂 ok", false, false);
        assertThat(ids).contains(0xF0 + 3, 0x9F + 3); // UTF-8 bytes of the emoji, offset by 3
        assertThat(t.decode(1, ids)).isEqualTo("Lily 🙂 ok");
    }

    @Test
    void dropsTheLeadingSpaceOnlyAfterBos() {
        Llama2cTokenizer t = tok512();
        assertThat(t.decode(1, new int[] {403, 407})).isEqualTo("Once upon");
        assertThat(t.decode(261, new int[] {403, 407})).isEqualTo(" Once upon");
    }
}
