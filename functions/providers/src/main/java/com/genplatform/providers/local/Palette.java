package com.genplatform.providers.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic numbers from a prompt, a seed and an index: what makes the local provider's content
 * differ from prompt to prompt yet come out identical for the same request.
 */
final class Palette {
    private final byte[] digest;

    Palette(String text, long seed, int index) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Integer.toString(index).getBytes(StandardCharsets.UTF_8));
            this.digest = sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The n-th byte of the digest as 0..255 (n wraps around). */
    int at(int n) {
        return digest[Math.floorMod(n, digest.length)] & 0xff;
    }

    /** A value from {@code min} to {@code max} inclusive, from bytes n and n+1. */
    int between(int n, int min, int max) {
        return min + ((at(n) << 8 | at(n + 1)) % (max - min + 1));
    }
}
