package dev.baton.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

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
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertAll(ENDPOINTS.stream().map(endpoint -> () -> {
            String[] parts = endpoint.split(" ");
            Map<String, Object> operation = doc.getMap("paths.'" + parts[1] + "'." + parts[0]);
            assertNotNull(operation, endpoint + " is missing");
            Map<String, Object> responses = doc.getMap("paths.'" + parts[1] + "'." + parts[0] + ".responses");
            assertTrue(responses.containsKey("400"), endpoint + " lacks its 400");
            assertEquals("#/components/schemas/Problem",
                    doc.getString("paths.'" + parts[1] + "'." + parts[0] + ".responses.'400'.content.'application/problem+json'.schema.$ref"));
            assertNotNull(doc.getList("paths.'" + parts[1] + "'." + parts[0] + ".tags"), endpoint + " has no tag");
        }));
    }

    @Test
    void shouldListTheStableErrorCodesOfACustodyTransition() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        String transfer = "paths.'/api/v1/chats/{id}/transfer'.post.responses";
        Stream.of("401", "403", "404", "409", "412", "413").forEach(status ->
                assertNotNull(doc.getMap(transfer + ".'" + status + "'"), "transfer lacks " + status));
        assertTrue(doc.getString(transfer + ".'409'.description").contains("agent-offline"));
        assertTrue(doc.getString(transfer + ".'404'.description").contains("agent-not-found"));
        assertTrue(doc.getString(transfer + ".'409'.description").contains("agent-at-capacity"));
        assertTrue(doc.getString(transfer + ".'404'.description").contains("team-not-found"));
    }
}
