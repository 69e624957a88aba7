package com.genplatform.providers.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.testsupport.MediaProbe;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalContentTest {

    private static byte[] png(String prompt, long seed, int index, int width, int height) throws Exception {
        var out = new ByteArrayOutputStream();
        PngImage.write(prompt, seed, index, width, height, out);
        return out.toByteArray();
    }

    @Test
    void pngsHaveTheRequestedSizeAndFollowThePrompt() throws Exception {
        byte[] fox = png("a red fox", 1, 0, 320, 200);
        assertEquals(new MediaProbe.Picture(320, 200), MediaProbe.png(fox));
        assertArrayEquals(fox, png("a red fox", 1, 0, 320, 200), "same request, same image");
        assertFalse(Arrays.equals(fox, png("a blue whale", 1, 0, 320, 200)), "another prompt, another image");
        assertFalse(Arrays.equals(fox, png("a red fox", 1, 1, 320, 200)), "another output index, another image");
        assertFalse(Arrays.equals(fox, png("a red fox", 2, 0, 320, 200)), "another seed, another image");
        assertEquals(new MediaProbe.Picture(64, 2048), MediaProbe.png(png("tall", 0, 0, 64, 2048)));
    }

    @Test
    void mp4sAreValidWithTheRequestedDurationAndSize(@TempDir Path dir) throws Exception {
        File file = dir.resolve("v.mp4").toFile();
        Mp4Video.write("waves at dawn", 3, 256, 144, 8, 2, file);
        var video = MediaProbe.mp4(Files.readAllBytes(file.toPath()));
        assertEquals(2.0, video.seconds(), 1.0 / 8);
        assertEquals(256, video.width());
        assertEquals(144, video.height());
        assertTrue(video.brand().matches("[a-z0-9 ]{4}"), video.brand());
    }

    @Test
    void wavsLastAsAsked() throws Exception {
        var out = new ByteArrayOutputStream();
        WavAudio.write("calm piano", 1, 3, out);
        var audio = MediaProbe.wav(out.toByteArray());
        assertEquals(3.0, audio.seconds(), 1e-9);
        assertEquals(1, audio.channels());
        assertEquals(16, audio.bitsPerSample());
        assertEquals(WavAudio.SAMPLE_RATE, audio.sampleRate());

        assertEquals(1.0, WavAudio.speechSeconds("Hi"));
        assertEquals(4.0, WavAudio.speechSeconds("one two three four five six seven eight nine ten"));
    }

    @Test
    void enhancedPromptsFollowEngineStyleAndTokenBudget() {
        String image = PromptText.enhance("a lighthouse in a storm", Engine.IMAGE, "oil painting", 256);
        assertTrue(image.startsWith("a lighthouse in a storm, with "), image);
        assertTrue(image.endsWith("in the style of oil painting."), image);
        assertEquals(image, PromptText.enhance("a lighthouse in a storm", Engine.IMAGE, "oil painting", 256));
        String audio = PromptText.enhance("a lighthouse in a storm", Engine.AUDIO, null, 256);
        assertFalse(audio.equals(image));
        assertEquals(5, PromptText.enhance("a lighthouse in a storm", Engine.VIDEO, "noir", 5).split("\\s+").length);
    }
}
