package io.github.cnn4j.io.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.io.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRealMnistRawAndGzipIdentically() throws IOException {
        Path raw = TestData.mnistDir().resolve("t10k-labels-idx1-ubyte");
        IdxArray a = IdxReader.read(raw);
        assertSame(IdxType.UNSIGNED_BYTE, a.type());
        assertArrayEquals(new int[] {10_000}, a.dims());
        // The file name says nothing: gzip content under a plain name is detected.
        Path gz = dir.resolve("labels-without-gz-suffix");
        Files.write(gz, TestFiles.gzip(Files.readAllBytes(raw)));
        IdxArray b = IdxReader.read(gz);
        assertArrayEquals(a.payload(), b.payload());
        assertEquals(7, a.payload()[0]); // the first test digit is a 7

        IdxArray img = IdxReader.read(TestData.mnistDir().resolve("t10k-images-idx3-ubyte"));
        assertArrayEquals(new int[] {10_000, 28, 28}, img.dims());
        assertEquals(7_840_000, img.count());
    }

    @Test
    void readsOtherElementTypes() throws IOException {
        ByteBuffer ints = ByteBuffer.allocate(12).putInt(-5).putInt(0).putInt(70000);
        Path f = write("ints", TestFiles.idx(0x0C, new int[] {3}, ints.array()));
        IdxArray a = IdxReader.read(f);
        assertSame(IdxType.INT, a.type());
        assertArrayEquals(new int[] {-5, 0, 70000}, a.toIntArray());
        assertArrayEquals(new float[] {-5, 0, 70000}, a.toFloatArray());

        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f);
        IdxArray fl = IdxReader.read(write("floats", TestFiles.idx(0x0D, new int[] {1, 2}, floats.array())));
        assertArrayEquals(new float[] {1.5f, -0.25f}, fl.toFloatArray());
        assertThrows(IllegalStateException.class, fl::toIntArray);

        ByteBuffer doubles = ByteBuffer.allocate(8).putDouble(0.125);
        assertArrayEquals(new float[] {0.125f}, IdxReader.read(write("d", TestFiles.idx(0x0E, new int[] {1}, doubles.array()))).toFloatArray());
        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 2);
        assertArrayEquals(new int[] {-300, 2}, IdxReader.read(write("s", TestFiles.idx(0x0B, new int[] {2}, shorts.array()))).toIntArray());
        assertArrayEquals(new int[] {-1, 127}, IdxReader.read(write("b", TestFiles.idx(0x09, new int[] {2}, new byte[] {-1, 127}))).toIntArray());
        assertArrayEquals(new int[] {255, 127}, IdxReader.read(write("u", TestFiles.idx(0x08, new int[] {2}, new byte[] {-1, 127}))).toIntArray());
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.read(write("m", new byte[] {1, 0, 8, 1, 0, 0, 0, 0})));
        assertTrue(e.getMessage().contains("wrong magic number"), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x01 0x00 0x08 0x01"), e.getMessage());
        assertEquals(dir.resolve("m"), e.file());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("t", new byte[] {0, 0, 0x42, 1, 0, 0, 0, 0})));
        assertTrue(e.getMessage().contains("unknown IDX element type 0x42"), e.getMessage());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("r", new byte[] {0, 0, 8, 0})));
        assertTrue(e.getMessage().contains("0 dimensions"), e.getMessage());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("empty", new byte[0])));
        assertTrue(e.getMessage().contains("found a file of 0 bytes"), e.getMessage());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("csv", "label,pixel0\n".getBytes())));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndTrailingData() throws IOException {
        byte[] ok = TestFiles.idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, 6});
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.read(write("cut", Arrays.copyOf(ok, ok.length - 1))));
        assertTrue(e.getMessage().contains("truncated: header claims 2 x 3 unsigned byte = 6 bytes of data, the file holds 5"), e.getMessage());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("hdr", Arrays.copyOf(ok, 9))));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("long", Arrays.copyOf(ok, ok.length + 3))));
        assertTrue(e.getMessage().contains("3 unexpected bytes after the 6 data bytes"), e.getMessage());

        e = assertThrows(FormatException.class, () -> IdxReader.read(write("cutgz", TestFiles.gzip(Arrays.copyOf(ok, ok.length - 2)))));
        assertTrue(e.getMessage().contains("the gzip data ends after 4"), e.getMessage());
        byte[] gz = TestFiles.gzip(ok);
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("cutgz2", Arrays.copyOf(gz, gz.length - 5))));
        assertTrue(e.getMessage().contains("corrupt gzip data"), e.getMessage());
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("longgz", TestFiles.gzip(Arrays.copyOf(ok, ok.length + 1)))));
        assertTrue(e.getMessage().contains("unexpected data after the 6 data bytes"), e.getMessage());
    }

    @Test
    void rejectsHostileClaimsWithoutAllocatingThem() throws IOException {
        // 3 billion 28x28 images claimed by a 20-byte file.
        byte[] hdr = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt((int) 3_000_000_000L).putInt(28).putInt(28).array();
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.read(write("huge", hdr)));
        assertTrue(e.getMessage().contains("dimension 0 is 3000000000"), e.getMessage());
        byte[] hdr2 = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(2_000_000_000).putInt(28).putInt(28).array();
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("huge2", hdr2)));
        assertTrue(e.getMessage().contains("truncated: header claims 2000000000 x 28 x 28 unsigned byte"), e.getMessage());
        // Gzip: the claim is bounded by what a gzip file of this size can expand to.
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("hugegz", TestFiles.gzip(hdr2))));
        assertTrue(e.getMessage().contains("more than a gzip file of"), e.getMessage());
        // A claim a gzip file could hold but does not: read in chunks, fails at the real end.
        byte[] hdr3 = ByteBuffer.allocate(12).put(new byte[] {0, 0, 8, 2}).putInt(1000).putInt(1000).array();
        byte[] padded = Arrays.copyOf(hdr3, 12 + 50_000);
        byte[] noise = new byte[50_000];
        new java.util.Random(1).nextBytes(noise);
        System.arraycopy(noise, 0, padded, 12, noise.length); // incompressible, so the claim passes the size bound
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("lyinggz", TestFiles.gzip(padded))));
        assertTrue(e.getMessage().contains("the gzip data ends after 50000"), e.getMessage());
        // Many dimensions whose product overflows 64 bits.
        ByteBuffer many = ByteBuffer.allocate(4 + 4 * 10).put(new byte[] {0, 0, 8, 10});
        for (int i = 0; i < 10; i++) {
            many.putInt(Integer.MAX_VALUE);
        }
        e = assertThrows(FormatException.class, () -> IdxReader.read(write("overflow", many.array())));
        assertTrue(e.getMessage().contains("more than 2^63 bytes"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }
}
