package com.genplatform.core.port;

/** An object in the content store: key, content type, size in bytes and SHA-256 (lowercase hex). */
public record StoredObject(String key, String contentType, long bytes, String sha256) {}
