package org.covidrisk.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class HardeningTest {

    static final String DOC = TestTokens.token("doc", List.of("MX-09-04"), "clinician");

    @Test
    void everyApiAnswerCarriesTheSecurityHeaders() {
        for (var r : List.of(given().auth().oauth2(DOC).when().get("/api/v1/me"),
                given().when().get("/api/v1/me"),
                given().auth().oauth2(DOC).when().get("/api/v1/patients/b1"))) {
            r.then().header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store")
                    .header("Content-Security-Policy", containsString("default-src 'none'"));
        }
    }

    @Test
    void theApiDocumentAndUiStillWork() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff");
        given().when().get("/q/swagger-ui/").then().statusCode(200).header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", containsString("script-src 'self' 'unsafe-inline'"))
                .body(containsString("swagger"));
    }

    @Test
    void corsIsClosedByDefault() {
        given().header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "GET").when()
                .options("/api/v1/me").then().header("Access-Control-Allow-Origin", nullValue());
        given().auth().oauth2(DOC).header("Origin", "https://elsewhere.example").when().get("/api/v1/me").then()
                .statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void jsonBodiesAreLimitedButUploadsStream() {
        String big = "{\"age\": 50, \"sex\": \"male\", \"reference\": \"" + "x".repeat(1_100_000) + "\"}";
        given().auth().oauth2(DOC).contentType(ContentType.JSON).body(big).when().post("/api/v1/scores").then()
                .statusCode(413).contentType("application/problem+json").body("status", equalTo(413))
                .body("errors[0].field", equalTo("body"));
        String csv = "ID_REGISTRO\n" + "a1\n".repeat(400_000);
        given().auth().oauth2(TestTokens.token("st", List.of("MX-09-04"), "data-steward")).contentType("text/csv")
                .header("Batch-Id", "big").body(csv.getBytes(StandardCharsets.UTF_8)).when()
                .post("/api/v1/uploads/dge").then().statusCode(200).body("rowsStored", equalTo(400_000));
    }

    @Test
    void forgedTokensAre401() throws Exception {
        String[] parts = DOC.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String noneHeader = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = b64.encodeToString(payload.replace("MX-09-04", "MX-15-12").getBytes(StandardCharsets.UTF_8));
        var foreign = KeyPairGenerator.getInstance("RSA");
        foreign.initialize(2048);
        PrivateKey foreignKey = foreign.generateKeyPair().getPrivate();
        Map<String, String> forged = new java.util.LinkedHashMap<>();
        forged.put("alg=none", noneHeader + "." + parts[1] + ".");
        forged.put("alg=none, signature kept", noneHeader + "." + parts[1] + "." + parts[2]);
        forged.put("tampered payload", parts[0] + "." + tampered + "." + parts[2]);
        forged.put("foreign key", claims(TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ofMinutes(5))
                .sign(foreignKey));
        forged.put("foreign issuer", claims("https://elsewhere.example/realms/covid-risk", TestTokens.AUDIENCE,
                Duration.ofMinutes(5)).sign(testKey()));
        forged.put("wrong audience", claims(TestTokens.ISSUER, "account", Duration.ofMinutes(5)).sign(testKey()));
        forged.put("expired", claims(TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ofSeconds(-120)).sign(testKey()));
        forged.put("HS256 with the public key", claims(TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ofMinutes(5))
                .signWithSecret(publicKeyText()));
        // the control: the same claims, properly signed, pass
        given().auth().oauth2(claims(TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ofMinutes(5)).sign(testKey()))
                .when().get("/api/v1/patients/a1").then().statusCode(200);
        forged.forEach((name, token) -> given().auth().oauth2(token).when().get("/api/v1/patients/a1").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer")));
    }

    static JwtClaimsBuilder claims(String issuer, String audience, Duration life) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(issuer).audience(audience).subject("doc-id").claim("preferred_username", "doc")
                .claim("realm_access", Map.of("roles", List.of("clinician"))).claim("hospital", List.of("MX-09-04"))
                .issuedAt(now - 600).expiresAt(now + life.toSeconds());
    }

    static PrivateKey testKey() throws Exception {
        byte[] der = Base64.getDecoder().decode(pem("test-keys/privateKey.pem"));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static String publicKeyText() throws Exception {
        return pem("test-keys/publicKey.pem");
    }

    static String pem(String resource) throws Exception {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
        }
    }
}
