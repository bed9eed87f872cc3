package dev.baton;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code limit} bounds every page; the cursor and {@code after} walk everything exactly once. */
@QuarkusTest
class PaginationTests {

    @Test
    void shouldReturnAtMostLimitChatsNewestActivityFirstAndWalkThemAllByCursor() {
        Api api = Api.signUp();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.newChat(false));
        }
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            Response page = api.owner.as().get("/api/v1/chats?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.then().statusCode(200);
            List<String> ids = page.path("items.id");
            assertTrue(ids.size() <= 2, "page of " + ids.size() + " for limit=2");
            walked.addAll(ids);
            cursor = page.path("nextCursor");
        } while (cursor != null);
        Collections.reverse(created);
        assertEquals(created, walked);
    }

    @Test
    void shouldReturnAtMostLimitTimelineEntriesAfterTheGivenSeq() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        for (int i = 0; i < 3; i++) {
            Api.reply(api.owner, chatId, "reply " + i).then().statusCode(201);
        }
        api.owner.as().get("/api/v1/chats/" + chatId + "/timeline?limit=2").then().statusCode(200)
                .body("items.seq", contains(1, 2)).body("next", equalTo(2));
        api.owner.as().get("/api/v1/chats/" + chatId + "/timeline?after=2&limit=2").then().statusCode(200)
                .body("items.seq", contains(3, 4));
        api.owner.as().get("/api/v1/chats/" + chatId + "/timeline?after=4&limit=200").then().statusCode(200)
                .body("items.seq", contains(5, 6)).body("next", nullValue());
        api.owner.as().get("/api/v1/chats/" + chatId + "/timeline?limit=1").then().body("items.seq", contains(1));
    }
}
