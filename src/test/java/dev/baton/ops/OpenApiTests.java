package dev.baton.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** /q/openapi lists every endpoint of PRODUCT.md with its problem+json errors. */
@QuarkusTest
class OpenApiTests {

    static final List<String> ENDPOINTS = List.of(
            "post /api/v1/workspaces", "post /api/v1/auth/login",
            "get /api/v1/agents", "post /api/v1/agents", "get /api/v1/agents/me", "patch /api/v1/agents/{id}",
            "put /api/v1/agents/me/availability",
            "get /api/v1/chats", "get /api/v1/chats/{id}",
            "post /api/v1/chats/{id}/intervene", "post /api/v1/chats/{id}/takeover", "post /api/v1/chats/{id}/transfer",
            "post /api/v1/chats/{id}/release", "post /api/v1/chats/{id}/resolve", "post /api/v1/chats/{id}/reopen",
            "get /api/v1/chats/{id}/timeline", "get /api/v1/chats/{id}/custody",
            "post /api/v1/chats/{id}/messages", "post /api/v1/chats/{id}/notes", "get /api/v1/chats/{id}/monitors",
            "post /api/v1/channel-tokens", "post /api/v1/inbound/messages",
            "post /api/v1/channels", "get /api/v1/channels", "get /api/v1/channels/{id}", "patch /api/v1/channels/{id}",
            "post /api/v1/chats/{id}/offers", "get /api/v1/chats/{id}/offers", "get /api/v1/offers", "get /api/v1/offers/{id}",
            "post /api/v1/offers/{id}/accept", "post /api/v1/offers/{id}/decline", "post /api/v1/offers/{id}/cancel",
            "post /api/v1/webhooks", "get /api/v1/webhooks", "get /api/v1/webhooks/{id}", "patch /api/v1/webhooks/{id}",
            "delete /api/v1/webhooks/{id}", "post /api/v1/webhooks/{id}/rotate-secret", "get /api/v1/webhooks/{id}/deliveries",
            "post /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay",
            "get /api/v1/channels/{id}/sends", "post /api/v1/channels/{id}/sends/{chatId}/{seq}/replay",
            "post /api/v1/teams", "get /api/v1/teams", "patch /api/v1/teams/{id}", "put /api/v1/teams/{id}/members",
            "get /api/v1/routing", "put /api/v1/routing", "get /api/v1/queue");

    @Test
    void shouldDescribeEveryEndpointWithItsProblemResponses() {
        JsonObject paths = document().getJsonObject("paths");
        assertAll(ENDPOINTS.stream().map(endpoint -> () -> {
            String[] parts = endpoint.split(" ");
            JsonObject operation = paths.getJsonObject(parts[1], new JsonObject()).getJsonObject(parts[0]);
            assertNotNull(operation, endpoint + " is missing");
            JsonObject badRequest = operation.getJsonObject("responses").getJsonObject("400");
            assertNotNull(badRequest, endpoint + " lacks its 400");
            assertEquals("#/components/schemas/Problem",
                    badRequest.getJsonObject("content").getJsonObject("application/problem+json").getJsonObject("schema").getString("$ref"));
            assertNotNull(operation.getJsonArray("tags"), endpoint + " has no tag");
        }));
    }

    @Test
    void shouldListTheStableErrorCodesOfACustodyTransition() {
        JsonObject transfer = document().getJsonObject("paths").getJsonObject("/api/v1/chats/{id}/transfer").getJsonObject("post")
                .getJsonObject("responses");
        Stream.of("401", "403", "404", "409", "412", "413").forEach(status ->
                assertNotNull(transfer.getJsonObject(status), "transfer lacks " + status));
        assertTrue(transfer.getJsonObject("409").getString("description").contains("agent-offline"));
        assertTrue(transfer.getJsonObject("404").getString("description").contains("agent-not-found"));
        assertTrue(transfer.getJsonObject("409").getString("description").contains("agent-at-capacity"));
        assertTrue(transfer.getJsonObject("404").getString("description").contains("team-not-found"));
    }

    /** Plain JSON: rest-assured's JsonPath evaluates a Groovy expression per look-up, which made this class take a minute. */
    private static JsonObject document() {
        return new JsonObject(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString());
    }
}
