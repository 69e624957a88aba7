package com.genplatform.providers.local;

import java.io.File;
import java.io.IOException;
import org.jcodec.api.SequenceEncoder;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rational;

/**
 * A playable H.264 MP4 (pure Java, jcodec) of exactly {@code seconds * fps} frames: a drifting gradient with a
 * moving disc, coloured by the prompt. Written to a file, never held in memory whole.
 */
public final class Mp4Video {
    public static final String CONTENT_TYPE = "video/mp4";
    public static final String EXTENSION = "mp4";

    private Mp4Video() {}

    /** Width and height must be even (4:2:0 chroma); the request's validation already guarantees it. */
    public static void write(String prompt, long seed, int width, int height, int fps, int seconds, File target) throws IOException {
        Palette p = new Palette(prompt, seed, 0);
        int frames = fps * seconds;
        var channel = NIOUtils.writableChannel(target);
        try {
            var encoder = SequenceEncoder.createWithFps(channel, Rational.R(fps, 1));
            Picture picture = Picture.create(width, height, ColorSpace.RGB);
            byte[] rgb = picture.getPlaneData(0); // packed R, G, B; jcodec keeps 8-bit samples shifted by -128
            int[] from = {p.at(0), p.at(1), p.at(2)};
            int[] to = {p.at(6), p.at(7), p.at(8)};
            double radius = Math.min(width, height) * (0.1 + p.at(4) / 255.0 * 0.15);
            for (int frame = 0; frame < frames; frame++) {
                double t = frames == 1 ? 0 : frame / (double) (frames - 1);
                double discX = width * (0.15 + 0.7 * t);
                double discY = height * (0.5 + 0.3 * Math.sin(t * Math.PI * 2 + p.at(5)));
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        boolean inDisc = Math.hypot(x - discX, y - discY) < radius;
                        double mix = ((x / (double) width + y / (double) height) / 2 + t) % 1.0;
                        for (int c = 0; c < 3; c++) {
                            int value = inDisc ? 240 : (int) (from[c] + (to[c] - from[c]) * mix);
                            rgb[(y * width + x) * 3 + c] = (byte) (value - 128);
                        }
                    }
                }
                encoder.encodeNativeFrame(picture);
            }
            encoder.finish();
        } finally {
            NIOUtils.closeQuietly(channel);
        }
    }
}
