package dev.baton.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * SSRF: with private networks not allowed, a destination is checked on the address its name
 * resolves to at every attempt — a name that resolved to a public address when the endpoint was
 * created and points at loopback, cloud metadata or a private range by send time is refused before
 * any connection. The sender connects to the address it checked (no second lookup). Names resolve
 * through a test resolver installed in place of the system's.
 */
@QuarkusTest
class WebhookDestinationTests {

    /** A DNS whose answers the test changes at will. */
    static final class SwitchableResolver extends NameResolver {
        final Map<String, String> answers = new ConcurrentHashMap<>();

        SwitchableResolver() {
            super(null);
        }

        @Override
        public Uni<List<InetAddress>> resolve(String host) {
            return Uni.createFrom().item(() -> {
                String address = answers.get(host);
                if (address == null) {
                    throw new IllegalStateException("NXDOMAIN " + host);
                }
                try {
                    return List.of(InetAddress.getByName(address));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void shouldRefuseAtSendTimeANameThatResolvedToAPublicAddressAtCreation() {
        SwitchableResolver dns = new SwitchableResolver();
        QuarkusMock.installMockForType(new Destinations(dns, false), Destinations.class);
        Map<String, String> rebound = Map.of("loopback.customer.example", "127.0.0.1", "metadata.customer.example", "169.254.169.254",
                "private.customer.example", "10.20.30.40");
        Api api = Api.signUp();
        Map<String, Webhooks> hooks = new ConcurrentHashMap<>();
        rebound.keySet().forEach(name -> {
            dns.answers.put(name, "93.184.216.34");
            hooks.put(name, Webhooks.create(api.owner, "https://" + name + "/baton", "note.created"));
        });
        rebound.forEach(dns.answers::put); // the names now point inside

        Api.note(api.owner, api.chatHeldBy(api.owner), "where does this go?").then().statusCode(201);
        rebound.forEach((name, address) -> {
            Map<String, Object> failed = hooks.get(name).awaitDelivery("note.created", "FAILED");
            String error = (String) failed.get("lastError");
            assertTrue(error.startsWith("destination refused") && error.contains(address), name + ": " + error);
            assertNull(failed.get("responseStatus"), "refused before any connection");
        });
    }

    @Test
    void shouldRefuseAtCreationPlainHttpAndNamesOrLiteralsInsidePrivateRanges() {
        SwitchableResolver dns = new SwitchableResolver();
        dns.answers.put("metadata.customer.example", "169.254.169.254");
        dns.answers.put("public.customer.example", "93.184.216.34");
        QuarkusMock.installMockForType(new Destinations(dns, false), Destinations.class);
        Api api = Api.signUp();
        for (String url : List.of("https://metadata.customer.example/x", "http://public.customer.example/x", "https://127.0.0.1/x",
                "https://[::1]/x", "https://10.0.0.8/x", "https://nowhere.customer.example/x")) {
            Api.expectProblem(api.owner.as().body(Map.of("url", url, "events", List.of("note.created"))).post("/api/v1/webhooks"), 400,
                    "validation-failed");
        }
        Webhooks.create(api.owner, "https://public.customer.example/x", "note.created");
    }

    @Test
    void shouldConnectToTheAddressItCheckedWithoutLookingTheNameUpAgain() {
        SwitchableResolver dns = new SwitchableResolver();
        dns.answers.put("receiver.baton.test", "127.0.0.1"); // a name the system resolver does not know
        QuarkusMock.installMockForType(new Destinations(dns, true), Destinations.class);
        try (WebhookReceiver receiver = WebhookReceiver.ok()) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, "http://receiver.baton.test:" + receiver.port() + "/hooks", "note.created");
            Api.note(api.owner, api.chatHeldBy(api.owner), "by name").then().statusCode(201);
            hook.awaitDelivery("note.created", "DELIVERED");
            assertEquals("receiver.baton.test:" + receiver.port(), receiver.received().get(0).host());
        }
    }
}
