package com.genplatform.core.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;

/**
 * Fields every engine's request accepts: caller metadata kept with the task, the seed's client and
 * campaign ids, and a URL to notify when the task finishes (stored now, delivered by a later feature).
 */
public record CommonFields(ObjectNode metadata, String clientId, String campaignId, URI webhookUrl) {
    static final int MAX_METADATA_BYTES = 4096;
    /** Their wire names: {@link GenerationRequest#toJson} writes them beside the engine's own fields. */
    static final List<String> NAMES = List.of("metadata", "client_id", "campaign_id", "webhook_url");

    static CommonFields read(FieldReader in) {
        return new CommonFields(
                in.object("metadata", MAX_METADATA_BYTES),
                in.name("client_id"),
                in.name("campaign_id"),
                in.url("webhook_url"));
    }
}
