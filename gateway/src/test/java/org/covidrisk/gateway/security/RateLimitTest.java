package org.covidrisk.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@TestProfile(RateLimitTest.SmallBucket.class)
class RateLimitTest {

    /** Three requests, then one more per hour. */
    public static class SmallBucket implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.capacity", "3", "gateway.rate-limit.refill-tokens", "1",
                    "gateway.rate-limit.refill-period", "1h");
        }
    }

    @Test
    void eachUserHasTheirOwnBucketAndAnEmptyOneAnswers429WithRetryAfter() {
        String doc = TestTokens.token("doc-rl", List.of("MX-09-04"), "clinician");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(doc).when().get("/api/v1/me").then().statusCode(200);
        }
        String retryAfter = given().auth().oauth2(doc).when().get("/api/v1/patients/a1").then().statusCode(429)
                .contentType("application/problem+json").body("status", equalTo(429))
                .body("detail", containsString("retry after")).extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds > 0 && seconds <= 3600, retryAfter);
        // another user is not affected, and neither are anonymous requests (they get their 401)
        given().auth().oauth2(TestTokens.token("ana-rl", List.of("MX-09-04"), "analyst")).when().get("/api/v1/me")
                .then().statusCode(200);
        given().when().get("/api/v1/me").then().statusCode(401);
        // a forged token naming the same user neither passes nor spends the user's tokens
        given().auth().oauth2("not-a-jwt").when().get("/api/v1/me").then().statusCode(401);
        // the API documentation is not limited
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
