package com.genplatform.providers.local;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A PNG drawn from the prompt: a two-colour gradient with rings and bands whose colours, angles and
 * positions come from the prompt, seed and output index. Written by hand (RGB, 8 bits, no font or AWT
 * needed, so it runs on Lambda as anywhere).
 */
public final class PngImage {
    public static final String CONTENT_TYPE = "image/png";
    public static final String EXTENSION = "png";

    private PngImage() {}

    public static void write(String prompt, long seed, int index, int width, int height, OutputStream out) throws IOException {
        Palette p = new Palette(prompt, seed, index);
        int[] from = {p.at(0), p.at(1), p.at(2)};
        int[] to = {p.at(3), p.at(4), p.at(5)};
        int[] ring = {p.at(6), p.at(7), p.at(8)};
        double angle = p.at(9) / 255.0 * Math.PI * 2;
        double cx = width * (0.2 + 0.6 * p.at(10) / 255.0);
        double cy = height * (0.2 + 0.6 * p.at(11) / 255.0);
        double ringSpacing = 6 + p.at(12) % 40;
        int bands = 2 + p.at(13) % 9;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double span = Math.abs(cos) * width + Math.abs(sin) * height;

        var data = new DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        var header = new ByteArrayOutputStream();
        var h = new DataOutputStream(header);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter method variants, no interlace
        chunk(data, "IHDR", header.toByteArray());

        var pixels = new ByteArrayOutputStream();
        try (var deflate = new DeflaterOutputStream(pixels, new Deflater(Deflater.BEST_SPEED))) {
            byte[] row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++) {
                row[0] = 0; // filter: none
                for (int x = 0; x < width; x++) {
                    double t = ((x - width / 2.0) * cos + (y - height / 2.0) * sin) / span + 0.5;
                    double distance = Math.hypot(x - cx, y - cy);
                    boolean onRing = (distance % ringSpacing) < ringSpacing / 3;
                    boolean onBand = ((int) (t * bands * 2)) % 2 == 0;
                    for (int c = 0; c < 3; c++) {
                        double base = from[c] + (to[c] - from[c]) * Math.clamp(t, 0, 1);
                        double value = onRing ? (base + ring[c]) / 2 : base;
                        if (onBand) value *= 0.85;
                        row[1 + x * 3 + c] = (byte) Math.clamp(Math.round(value), 0, 255);
                    }
                }
                deflate.write(row);
            }
        }
        chunk(data, "IDAT", pixels.toByteArray());
        chunk(data, "IEND", new byte[0]);
        data.flush();
    }

    private static void chunk(DataOutputStream out, String type, byte[] body) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(body.length);
        out.write(name);
        out.write(body);
        var crc = new CRC32();
        crc.update(name);
        crc.update(body);
        out.writeInt((int) crc.getValue());
    }
}
