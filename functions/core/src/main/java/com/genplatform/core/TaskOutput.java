package com.genplatform.core;

/**
 * One stored result of a task: where it is in the content store and what it is.
 * Width and height are set for images and video, duration for audio and video.
 */
public record TaskOutput(
        int index,
        String key,
        String contentType,
        long bytes,
        String sha256,
        Integer width,
        Integer height,
        Double durationSeconds) {}
