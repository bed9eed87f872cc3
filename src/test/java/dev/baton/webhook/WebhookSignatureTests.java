package dev.baton.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.support.WebhookReceiver;

/**
 * Signatures as Standard Webhooks defines them, checked against the spec's published test vector
 * (standard-webhooks/standard-webhooks, libraries/java WebhookTest.verifyWebhookSignWorks) and
 * against the test receiver's independent verifier.
 */
class WebhookSignatureTests {

    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330;
    private static final String VECTOR_BODY = "{\"test\": 2432232314}";
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void shouldReproduceThePublishedTestVector() {
        assertEquals(VECTOR_SIGNATURE, Signature.sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldHaveTheReceiversVerifierAcceptTheVectorAndRefuseTampering() {
        assertNull(WebhookReceiver.verify(VECTOR_SECRET, VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, VECTOR_BODY,
                VECTOR_TIMESTAMP));
        assertNotNull(WebhookReceiver.verify(VECTOR_SECRET, VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE,
                "{\"test\": 2432232315}", VECTOR_TIMESTAMP));
        assertNotNull(WebhookReceiver.verify(VECTOR_SECRET, VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, VECTOR_BODY,
                VECTOR_TIMESTAMP + 301), "a timestamp older than five minutes is refused: each attempt must be re-signed");
    }

    @Test
    void shouldGenerateSecretsOfAtLeast24RandomBytesWithThePrefix() {
        String one = Signature.newSecret();
        assertTrue(one.startsWith("whsec_"), one);
        assertTrue(Base64.getDecoder().decode(one.substring(6)).length >= 24, one);
        assertTrue(!one.equals(Signature.newSecret()));
    }

    @Test
    void shouldLetEitherSecretVerifyDuringARotation() {
        String older = Signature.newSecret();
        String newer = Signature.newSecret();
        byte[] body = "{\"id\":\"msg_1_0\"}".getBytes(StandardCharsets.UTF_8);
        String header = Signature.header(List.of(newer, older), "msg_1_0", VECTOR_TIMESTAMP, body);
        assertEquals(2, header.split(" ").length, header);
        assertNull(WebhookReceiver.verify(newer, "msg_1_0", Long.toString(VECTOR_TIMESTAMP), header, new String(body, StandardCharsets.UTF_8),
                VECTOR_TIMESTAMP));
        assertNull(WebhookReceiver.verify(older, "msg_1_0", Long.toString(VECTOR_TIMESTAMP), header, new String(body, StandardCharsets.UTF_8),
                VECTOR_TIMESTAMP));
        assertNotNull(WebhookReceiver.verify(Signature.newSecret(), "msg_1_0", Long.toString(VECTOR_TIMESTAMP), header,
                new String(body, StandardCharsets.UTF_8), VECTOR_TIMESTAMP));
    }
}
