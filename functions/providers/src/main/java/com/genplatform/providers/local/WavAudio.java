package com.genplatform.providers.local;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A WAV (PCM 16-bit, mono, 22.05 kHz) melody derived from the prompt or text: a sequence of soft tones
 * whose pitches and lengths come from the text. Streamed sample by sample, so length costs no memory.
 */
public final class WavAudio {
    public static final String CONTENT_TYPE = "audio/wav";
    public static final String EXTENSION = "wav";
    public static final int SAMPLE_RATE = 22_050;
    private static final double[] SCALE = {261.63, 293.66, 329.63, 392.00, 440.00, 523.25, 587.33, 659.25};

    private WavAudio() {}

    /** How long speech of {@code text} lasts here: about 2.5 words a second (150 a minute), at least 1 s. */
    public static double speechSeconds(String text) {
        int words = text == null || text.isBlank() ? 0 : text.strip().split("\\s+").length;
        return Math.max(1.0, Math.round(words / 2.5 * 10) / 10.0);
    }

    public static void write(String text, long seed, double seconds, OutputStream target) throws IOException {
        Palette p = new Palette(text, seed, 0);
        long samples = Math.round(seconds * SAMPLE_RATE);
        long dataBytes = samples * 2;
        var out = new BufferedOutputStream(target, 64 * 1024);
        out.write("RIFF".getBytes());
        int32(out, 36 + dataBytes);
        out.write("WAVEfmt ".getBytes());
        int32(out, 16);
        int16(out, 1); // PCM
        int16(out, 1); // mono
        int32(out, SAMPLE_RATE);
        int32(out, SAMPLE_RATE * 2L);
        int16(out, 2);
        int16(out, 16);
        out.write("data".getBytes());
        int32(out, dataBytes);

        int noteLength = SAMPLE_RATE / (2 + p.at(20) % 5);
        double phase = 0;
        for (long i = 0; i < samples; i++) {
            int note = (int) (i / noteLength);
            double frequency = SCALE[p.at(note) % SCALE.length] * (p.at(note + 7) % 3 == 0 ? 0.5 : 1);
            double position = (i % noteLength) / (double) noteLength;
            double envelope = Math.min(1, position * 20) * (1 - position * 0.7);
            phase += 2 * Math.PI * frequency / SAMPLE_RATE;
            double value = Math.sin(phase) * 0.6 + Math.sin(phase * 2) * 0.15;
            int16(out, (int) Math.round(value * envelope * 12_000));
        }
        out.flush();
    }

    private static void int16(OutputStream out, int value) throws IOException {
        out.write(value & 0xff);
        out.write((value >> 8) & 0xff);
    }

    private static void int32(OutputStream out, long value) throws IOException {
        for (int shift = 0; shift < 32; shift += 8) out.write((int) (value >> shift) & 0xff);
    }
}
