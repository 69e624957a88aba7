package com.genplatform.testsupport;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Reads what generated files really are, as a person's player would: decoded PNGs, MP4 boxes, WAV headers. */
public final class MediaProbe {
    private MediaProbe() {}

    public record Picture(int width, int height) {}

    public record Video(String brand, int width, int height, double seconds) {}

    public record Audio(int channels, int sampleRate, int bitsPerSample, double seconds) {}

    /** Decodes a PNG; throws if it is not one. */
    public static Picture png(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) throw new IllegalArgumentException("not a decodable image");
            return new Picture(image.getWidth(), image.getHeight());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an MP4's brand (ftyp), its duration (mvhd) and its video track's size (tkhd). */
    public static Video mp4(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        String brand = null;
        double seconds = -1;
        int width = -1;
        int height = -1;
        // Walk the boxes, descending into the containers that hold mvhd and tkhd.
        java.util.ArrayDeque<int[]> ranges = new java.util.ArrayDeque<>();
        ranges.push(new int[] {0, bytes.length});
        while (!ranges.isEmpty()) {
            int[] range = ranges.pop();
            int at = range[0];
            while (at + 8 <= range[1]) {
                long size = buffer.getInt(at) & 0xffffffffL;
                String type = new String(bytes, at + 4, 4, StandardCharsets.US_ASCII);
                int header = 8;
                if (size == 1) {
                    size = buffer.getLong(at + 8);
                    header = 16;
                } else if (size == 0) {
                    size = range[1] - at;
                }
                if (size < header || at + size > range[1]) throw new IllegalArgumentException("broken box " + type + " at " + at);
                int body = at + header;
                switch (type) {
                    case "ftyp" -> brand = new String(bytes, body, 4, StandardCharsets.US_ASCII);
                    case "moov", "trak" -> ranges.push(new int[] {body, (int) (at + size)});
                    case "mvhd" -> {
                        int version = bytes[body] & 0xff;
                        long timescale = version == 1 ? buffer.getInt(body + 20) & 0xffffffffL : buffer.getInt(body + 12) & 0xffffffffL;
                        long duration = version == 1 ? buffer.getLong(body + 24) : buffer.getInt(body + 16) & 0xffffffffL;
                        seconds = duration / (double) timescale;
                    }
                    case "tkhd" -> {
                        int version = bytes[body] & 0xff;
                        int sizeAt = body + (version == 1 ? 88 : 76);
                        int w = buffer.getInt(sizeAt) >>> 16;
                        int h = buffer.getInt(sizeAt + 4) >>> 16;
                        if (w > 0 && h > 0) {
                            width = w;
                            height = h;
                        }
                    }
                    default -> { }
                }
                at += (int) size;
            }
        }
        if (brand == null || seconds < 0) throw new IllegalArgumentException("not an MP4 (no ftyp or mvhd box)");
        return new Video(brand, width, height, seconds);
    }

    /** Reads a PCM WAV's format and its duration from the data chunk's length. */
    public static Audio wav(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 44 || !new String(bytes, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                || !new String(bytes, 8, 4, StandardCharsets.US_ASCII).equals("WAVE")) {
            throw new IllegalArgumentException("not a WAV file");
        }
        int channels = 0, rate = 0, bits = 0;
        int at = 12;
        while (at + 8 <= bytes.length) {
            String id = new String(bytes, at, 4, StandardCharsets.US_ASCII);
            int size = buffer.getInt(at + 4);
            if (id.equals("fmt ")) {
                channels = buffer.getShort(at + 10);
                rate = buffer.getInt(at + 12);
                bits = buffer.getShort(at + 22);
            } else if (id.equals("data")) {
                if (at + 8 + size > bytes.length) throw new IllegalArgumentException("the data chunk is cut short");
                return new Audio(channels, rate, bits, size / (double) (rate * channels * (bits / 8)));
            }
            at += 8 + size + (size % 2);
        }
        throw new IllegalArgumentException("the WAV has no data chunk");
    }
}
