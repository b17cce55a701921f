package org.covidrisk.platform.security;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The verified caller of a request: name, realm roles, the hospitals the token grants, and the raw token that
 * travels on to downstream gRPC calls.
 *
 * @param username preferred user name (for audit), never patient data
 * @param roles realm roles
 * @param hospitals hospital keys from the token's {@code hospital} claim (one or several)
 * @param rawToken the bearer token as received
 */
public record Caller(String username, Set<String> roles, List<String> hospitals, String rawToken) {

    /** Name of the token claim that carries the caller's hospital(s). */
    public static final String HOSPITAL_CLAIM = "hospital";

    /** Builds the caller from an authenticated identity whose principal is a JWT. */
    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw new IllegalStateException("no authenticated caller");
        }
        Principal principal = identity.getPrincipal();
        if (!(principal instanceof JsonWebToken jwt)) {
            throw new IllegalStateException("caller principal is not a JWT");
        }
        String name = jwt.getClaim("preferred_username");
        return new Caller(name != null ? name : jwt.getName(), Set.copyOf(identity.getRoles()),
                hospitalsOf(jwt.getClaim(HOSPITAL_CLAIM)), jwt.getRawToken());
    }

    /** The hospital claim may be a single string or an array (Keycloak multivalued attribute). */
    static List<String> hospitalsOf(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim == null) {
            return out;
        }
        if (claim instanceof Collection<?> values) {
            for (Object v : values) {
                addHospital(out, v);
            }
        } else if (claim instanceof jakarta.json.JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                addHospital(out, array.getString(i, null));
            }
        } else {
            addHospital(out, claim);
        }
        return List.copyOf(out);
    }

    private static void addHospital(List<String> out, Object v) {
        if (v == null) {
            return;
        }
        String s = v instanceof jakarta.json.JsonString js ? js.getString() : v.toString();
        s = s.strip();
        if (!s.isEmpty() && !out.contains(s)) {
            out.add(s);
        }
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** True when the token grants the given hospital. */
    public boolean belongsTo(String hospital) {
        return hospital != null && hospitals.contains(hospital);
    }

    /** The caller's home hospital (first in the token), or null when the token grants none. */
    public String homeHospital() {
        return hospitals.isEmpty() ? null : hospitals.get(0);
    }
}
