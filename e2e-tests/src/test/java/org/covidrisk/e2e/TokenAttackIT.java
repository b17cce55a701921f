package org.covidrisk.e2e;

import static io.restassured.RestAssured.given;
import static org.covidrisk.e2e.SharedSuite.config;
import static org.covidrisk.e2e.SharedSuite.home;
import static org.covidrisk.e2e.SharedSuite.other;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.cli.suite.Http;
import org.covidrisk.cli.suite.Suite;
import org.covidrisk.cli.suite.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/**
 * Forged, expired, foreign and misdirected tokens against the real gateway and Keycloak: each is refused with 401
 * problem+json, while the untouched token of the same user passes. The expired token comes from a realm client with a
 * 5-second token lifespan, the foreign-issuer token from a second realm of the same Keycloak, the wrong-audience token
 * from a client without the API audience mapper (all three set up here through the master admin, not in the realm
 * file).
 */
@ExtendWith(SharedSuite.class)
@Order(3)
class TokenAttackIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final String PROBE = "/api/v1/me";

    static String good;

    @BeforeAll
    static void setUp() throws Exception {
        good = SharedSuite.token("clinician-home");
        String admin = Tokens.admin(config.keycloakUrl(), Suite.KC_ADMIN, Suite.KC_ADMIN_PASSWORD);
        String base = config.keycloakUrl() + "/admin/realms/";
        // a client of the suite's realm whose tokens live 5 s (audience and hospital mappers as the CLI client)
        createClient(admin, base + Tokens.REALM, "e2e-short-lived", true, Map.of("access.token.lifespan", "5"));
        createClient(admin, base + Tokens.REALM, "e2e-no-audience", false, Map.of());
        // a second realm of the same Keycloak, shaped like the suite's, with the same user name and hospital
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", "e2e-foreign");
        realm.put("enabled", true);
        realm.put("roles", Map.of("realm", List.of(Map.of("name", "clinician"))));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(realm).post(base).then().statusCode(201);
        createClient(admin, base + "e2e-foreign", "covid-risk-cli", true, Map.of());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", "clinician-home");
        user.put("enabled", true);
        user.put("email", "clinician-home@e2e.test");
        user.put("emailVerified", true);
        user.put("firstName", "E2E");
        user.put("lastName", "foreign");
        user.put("attributes", Map.of("hospital", List.of(home)));
        user.put("credentials", List.of(Map.of("type", "password", "value", "e2e-pass", "temporary", false)));
        user.put("realmRoles", List.of("clinician"));
        String location = given().auth().oauth2(admin).contentType(ContentType.JSON).body(user)
                .post(base + "e2e-foreign/users").then().statusCode(201).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Map<?, ?> role = given().auth().oauth2(admin).get(base + "e2e-foreign/roles/clinician").then().statusCode(200)
                .extract().as(Map.class);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(List.of(role))
                .post(base + "e2e-foreign/users/" + id + "/role-mappings/realm").then().statusCode(204);
    }

    static void createClient(String admin, String realmUrl, String clientId, boolean audience,
            Map<String, String> attributes) {
        Map<String, Object> hospital = Map.of("name", "hospital", "protocol", "openid-connect", "protocolMapper",
                "oidc-usermodel-attribute-mapper", "config", Map.of("user.attribute", "hospital", "claim.name",
                        "hospital", "jsonType.label", "String", "multivalued", "true", "access.token.claim", "true"));
        Map<String, Object> aud = Map.of("name", "api-audience", "protocol", "openid-connect", "protocolMapper",
                "oidc-audience-mapper", "config", Map.of("included.custom.audience", "covid-risk-api",
                        "access.token.claim", "true"));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("publicClient", true);
        client.put("directAccessGrantsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("attributes", attributes);
        client.put("protocolMappers", audience ? List.of(hospital, aud) : List.of(hospital));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(client).post(realmUrl + "/clients").then()
                .statusCode(201);
    }

    static String password(String realm, String client, String user) throws Exception {
        Http.Reply r = Http.postForm(config.keycloakUrl() + "/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", client, "username", user, "password", "e2e-pass"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    static JsonNode part(String token, int i) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[i]));
    }

    static void refused(String name, String token) {
        given().auth().oauth2(token).get(PROBE).then().log().ifValidationFails().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", containsString("Bearer"));
        System.out.println("[e2e] token attack refused with 401: " + name);
    }

    @Test
    void theUntouchedTokenPasses() {
        given().auth().oauth2(good).get(PROBE).then().statusCode(200);
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String[] p = good.split("\\.");
        String none = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        refused("alg=none, no signature", none + "." + p[1] + ".");
        refused("alg=none, original signature", none + "." + p[1] + "." + p[2]);
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String[] p = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8);
        String moved = payload.replace(home, other);
        assertNotEquals(payload, moved);
        refused("tampered payload (hospital changed)", p[0] + "." + B64.encodeToString(moved.getBytes(
                StandardCharsets.UTF_8)) + "." + p[2]);
        String promoted = payload.replace("\"clinician\"", "\"security-admin\"");
        refused("tampered payload (role changed)", p[0] + "." + B64.encodeToString(promoted.getBytes(
                StandardCharsets.UTF_8)) + "." + p[2]);
    }

    @Test
    void aSignatureFromAnotherKeyIsRefused() throws Exception {
        String[] p = good.split("\\.");
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey key = g.generateKeyPair().getPrivate();
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
        // same header (the realm key's kid), same claims, someone else's key
        refused("signed with a foreign key", p[0] + "." + p[1] + "." + B64.encodeToString(s.sign()));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String shortLived = password(Tokens.REALM, "e2e-short-lived", "clinician-home");
        JsonNode claims = part(shortLived, 1);
        assertEquals(5, claims.get("exp").asLong() - claims.get("iat").asLong(), "lifespan");
        given().auth().oauth2(shortLived).get(PROBE).then().statusCode(200);
        long waitMs = claims.get("exp").asLong() * 1000 - System.currentTimeMillis() + 2000;
        Thread.sleep(Math.max(0, waitMs));
        refused("expired (5 s lifespan, used 2 s after exp)", shortLived);
    }

    @Test
    void aTokenOfAnotherRealmIsRefused() throws Exception {
        String foreign = password("e2e-foreign", "covid-risk-cli", "clinician-home");
        JsonNode claims = part(foreign, 1);
        assertEquals(config.keycloakUrl() + "/realms/e2e-foreign", claims.get("iss").asText());
        assertEquals("clinician-home", claims.get("preferred_username").asText());
        refused("foreign issuer (second realm, same Keycloak)", foreign);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String token = password(Tokens.REALM, "e2e-no-audience", "clinician-home");
        JsonNode aud = part(token, 1).get("aud");
        assertFalse(aud != null && aud.toString().contains("covid-risk-api"), "no API audience: " + aud);
        refused("wrong audience (" + aud + ")", token);
    }
}
