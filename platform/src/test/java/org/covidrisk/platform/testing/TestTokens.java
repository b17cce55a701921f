package org.covidrisk.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

/**
 * Test tokens for @QuarkusTest suites: the service verifies with the committed test public key (this class is
 * also the test resource that configures it), and tests mint tokens with the matching private key.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    /** Issuer the services expect in tests. */
    public static final String ISSUER = "https://covid-risk.test/realms/covid-risk";
    /** Audience the services expect. */
    public static final String AUDIENCE = "covid-risk-api";

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.public-key", pem("test-keys/publicKey.pem"),
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.token.audience", AUDIENCE);
    }

    @Override
    public void stop() {
    }

    /** A valid token for the given user, hospitals and realm roles. */
    public static String token(String user, List<String> hospitals, String... roles) {
        return builder(user, hospitals, roles).sign(privateKey());
    }

    /** A token signed by the right key but already expired. */
    public static String expiredToken(String user, List<String> hospitals, String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return builder(user, hospitals, roles).issuedAt(now - 7200).expiresAt(now - 3600).sign(privateKey());
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder builder(String user, List<String> hospitals,
            String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(user + "-id").claim("preferred_username", user)
                .claim("realm_access", Map.of("roles", List.of(roles))).groups(Set.of(roles))
                .claim("hospital", hospitals).expiresIn(Duration.ofMinutes(10));
    }

    private static PrivateKey privateKey() {
        try {
            byte[] der = Base64.getDecoder().decode(pem("test-keys/privateKey.pem"));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test private key", e);
        }
    }

    private static String pem(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
