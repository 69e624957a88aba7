package com.genplatform.core.request;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;

/**
 * A validated request for one engine. {@link #parse} is the only way in for a caller's request: it checks
 * every field and reports all problems at once; {@link #toJson} writes the normalised request (defaults
 * filled in), which is how tasks store their request, and {@link #stored} reads that back unchecked.
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

    /**
     * A request as {@link #toJson} stored it, read back without {@link #parse}'s checks: it was valid when
     * accepted, and a rule tightened or a field dropped since must not make the tasks already stored unreadable.
     */
    static GenerationRequest stored(Engine engine, JsonNode json) throws JsonProcessingException {
        ObjectNode fields = json.deepCopy();
        ObjectNode common = fields.putObject("common");
        for (String name : CommonFields.NAMES) {
            JsonNode value = fields.remove(name);
            if (value != null) common.set(name, value);
        }
        Class<? extends GenerationRequest> type = switch (engine) {
            case IMAGE -> ImageRequest.class;
            case VIDEO -> VideoRequest.class;
            case AUDIO -> AudioRequest.class;
            case PROMPT -> PromptRequest.class;
        };
        return Json.MAPPER.treeToValue(fields, type); // the mapper ignores fields the record no longer has
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
