package dev.baton.webhook;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.baton.support.Api.Staff;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The webhook API as the tests use it: an endpoint's id and secret, its delivery log. */
record Webhooks(Staff owner, String id, String secret) {

    static Webhooks create(Staff owner, String url, String... events) {
        Response r = owner.as().body(Map.of("url", url, "events", List.of(events), "description", "test receiver"))
                .post("/api/v1/webhooks");
        r.then().statusCode(201);
        return new Webhooks(owner, r.path("id"), r.path("secret"));
    }

    List<Map<String, Object>> deliveries() {
        return owner.as().get("/api/v1/webhooks/" + id + "/deliveries?limit=200").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    /** Waits until the log holds a delivery of {@code type} in {@code status}; returns it. */
    Map<String, Object> awaitDelivery(String type, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> deliveries().stream().filter(d -> type.equals(d.get("eventType")) && status.equals(d.get("status"))).findFirst()
                        .orElse(null),
                d -> d != null);
    }

    JsonPath endpoint() {
        return owner.as().get("/api/v1/webhooks/" + id).then().statusCode(200).extract().jsonPath();
    }
}
