package com.genplatform.core.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.error.PlatformException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON request body, collecting every problem instead of stopping at the first,
 * so a caller learns about all bad fields in one answer. Unknown fields are problems too (typos such as
 * {@code num_output} would otherwise be silently ignored).
 */
final class FieldReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    private final ObjectNode body;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<FieldError> problems = new ArrayList<>();

    FieldReader(ObjectNode body) {
        this.body = body;
    }

    static FieldReader of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw PlatformException.validation(List.of(new FieldError("body", "must be a JSON object")));
        }
        return new FieldReader((ObjectNode) body);
    }

    boolean has(String field) {
        read.add(field);
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    void problem(String field, String message) {
        problems.add(new FieldError(field, message));
    }

    String text(String field, int maxLength) {
        JsonNode value = value(field);
        if (value == null) return null;
        if (!value.isTextual()) {
            problem(field, "must be a string");
            return null;
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            problem(field, "must not be empty");
            return null;
        }
        if (text.length() > maxLength) {
            problem(field, "must be at most " + maxLength + " characters (got " + text.length() + ")");
            return null;
        }
        return text;
    }

    String requiredText(String field, int maxLength) {
        if (!has(field)) {
            read.add(field);
            problem(field, "is required");
            return null;
        }
        return text(field, maxLength);
    }

    /** A model, voice or provider name: letters, digits and {@code . _ : / @ -}. */
    String name(String field) {
        String text = text(field, 200);
        if (text != null && !NAME.matcher(text).matches()) {
            problem(field, "must be a name made of letters, digits and . _ : / @ -");
            return null;
        }
        return text;
    }

    String oneOf(String field, Set<String> allowed, String fallback) {
        String text = text(field, 100);
        if (text == null) return has(field) ? null : fallback;
        String normalized = text.toLowerCase(Locale.ROOT);
        if (!allowed.contains(normalized)) {
            problem(field, "must be one of " + String.join(", ", allowed) + " (got \"" + text + "\")");
            return null;
        }
        return normalized;
    }

    Integer integer(String field, int min, int max, Integer fallback) {
        JsonNode value = value(field);
        if (value == null) return fallback;
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problem(field, "must be a whole number from " + min + " to " + max);
            return null;
        }
        long number = value.asLong();
        if (number < min || number > max) {
            problem(field, "must be from " + min + " to " + max + " (got " + number + ")");
            return null;
        }
        return (int) number;
    }

    Long longInteger(String field, long min, long max) {
        JsonNode value = value(field);
        if (value == null) return null;
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            problem(field, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return value.asLong();
    }

    /** A size {@code "WxH"} within bounds, each side a multiple of {@code step}. */
    Size size(String field, int min, int max, int step, Size fallback) {
        String text = text(field, 20);
        if (text == null) return has(field) ? null : fallback;
        var match = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!match.matches()) {
            problem(field, "must look like \"1024x768\" (width x height in pixels)");
            return null;
        }
        int width = Integer.parseInt(match.group(1));
        int height = Integer.parseInt(match.group(2));
        if (width < min || width > max || height < min || height > max) {
            problem(field, "width and height must each be from " + min + " to " + max + " pixels (got " + text + ")");
            return null;
        }
        if (width % step != 0 || height % step != 0) {
            problem(field, "width and height must be multiples of " + step + " (got " + text + ")");
            return null;
        }
        return new Size(width, height);
    }

    /** An absolute https URL; plain http is accepted only for loopback hosts (local development). */
    URI url(String field) {
        String text = text(field, 2048);
        if (text == null) return null;
        try {
            URI uri = URI.create(text);
            String host = uri.getHost();
            boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
            boolean ok = host != null && ("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback));
            if (!ok) {
                problem(field, "must be an absolute https:// URL");
                return null;
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problem(field, "must be a valid URL");
            return null;
        }
    }

    ObjectNode object(String field, int maxSerializedBytes) {
        JsonNode value = value(field);
        if (value == null) return null;
        if (!value.isObject()) {
            problem(field, "must be a JSON object");
            return null;
        }
        int size = value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > maxSerializedBytes) {
            problem(field, "must be at most " + maxSerializedBytes + " bytes as JSON (got " + size + ")");
            return null;
        }
        return (ObjectNode) value;
    }

    /** Throws a validation error listing every problem (and every unknown field), if there is any. */
    void finish() {
        body.fieldNames().forEachRemaining(field -> {
            if (!read.contains(field)) {
                problem(field, "is not a known field");
            }
        });
        if (!problems.isEmpty()) {
            throw PlatformException.validation(problems);
        }
    }

    private JsonNode value(String field) {
        read.add(field);
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }
}
