package com.genplatform.core.provider;

import java.io.IOException;
import java.io.InputStream;

/**
 * One output a provider produced, not yet stored: how to stream it and what it is. Width and height are
 * known for images and video, duration for audio and video (null where unknown).
 */
public record GeneratedOutput(
        String contentType,
        String extension,
        Source source,
        Integer width,
        Integer height,
        Double durationSeconds) {

    /** Opens the content for one streaming read (a local file, a provider's download URL, ...). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }
}
