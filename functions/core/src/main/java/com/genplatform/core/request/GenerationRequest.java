package com.genplatform.core.request;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;

/**
 * A validated request for one engine. {@link #parse} is the only way in: it checks every field and
 * reports all problems at once; {@link #toJson} writes the normalised request (defaults filled in) that
 * {@link #parse} reads back unchanged, which is how tasks store their request.
 */
public sealed interface GenerationRequest permits ImageRequest, VideoRequest, AudioRequest, PromptRequest {

    @JsonIgnore
    Engine engine();

    /** The provider the caller asked for, or null for the engine's configured default. */
    String provider();

    /** The model the caller asked for, or null for the provider's default. */
    String model();

    CommonFields common();

    static GenerationRequest parse(Engine engine, JsonNode body) {
        FieldReader in = FieldReader.of(body);
        GenerationRequest request = switch (engine) {
            case IMAGE -> ImageRequest.read(in);
            case VIDEO -> VideoRequest.read(in);
            case AUDIO -> AudioRequest.read(in);
            case PROMPT -> PromptRequest.read(in);
        };
        in.finish();
        return request;
    }

    default ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.valueToTree(this);
        JsonNode common = json.remove("common");
        if (common instanceof ObjectNode fields) {
            json.setAll(fields);
        }
        return json;
    }
}
