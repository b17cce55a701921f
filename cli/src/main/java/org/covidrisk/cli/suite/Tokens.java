package org.covidrisk.cli.suite;

import java.io.IOException;
import java.util.Map;

/** Obtains access tokens from the suite's Keycloak realm with the password grant of the public CLI client. */
public final class Tokens {

    /** Realm of the suite. */
    public static final String REALM = "covid-risk";
    /** Public client with the password grant. */
    public static final String CLIENT = "covid-risk-cli";
    /** Password of the demo users (deploy/keycloak; demo only). */
    public static final String DEMO_PASSWORD = "covid-demo";

    private Tokens() {
    }

    public static String password(String keycloakUrl, String user, String password)
            throws IOException, InterruptedException {
        Http.Reply r = Http.postForm(keycloakUrl + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", CLIENT, "username", user, "password", password,
                        "scope", "openid"));
        if (r.status() != 200) {
            throw new IOException("Keycloak refused a token for " + user + ": HTTP " + r.status());
        }
        return r.json().get("access_token").asText();
    }

    /** Admin token of the master realm (bootstrap admin), for setting up users in tests. */
    public static String admin(String keycloakUrl, String user, String password)
            throws IOException, InterruptedException {
        Http.Reply r = Http.postForm(keycloakUrl + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", user, "password", password));
        if (r.status() != 200) {
            throw new IOException("Keycloak refused the admin token: HTTP " + r.status());
        }
        return r.json().get("access_token").asText();
    }
}
