package org.covidrisk.gateway.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.grpc.Status;

/**
 * Users of the realm through the Keycloak admin REST API, as the confidential client {@code covid-risk-admin}
 * (service account with view-users, query-users and manage-users only; see deploy/keycloak).
 */
@ApplicationScoped
public class KeycloakUserDirectory implements UserDirectory {

    /** The roles a user view lists: the suite's, not Keycloak's defaults. */
    static final Set<String> SUITE_ROLES = Set.of(Roles.CLINICIAN, Roles.ANALYST, Roles.DATA_STEWARD,
            Roles.MODEL_ADMIN, Roles.NETWORK_ANALYST, Roles.SECURITY_ADMIN);

    @Inject
    Keycloak keycloak;

    @Inject
    GatewayConfig config;

    private RealmResource realm() {
        return keycloak.realm(config.admin().realm());
    }

    @Override
    public List<UserView> list(String search, int first, int max) {
        // full representations: the brief ones carry no attributes (the hospital)
        List<UserRepresentation> users = realm().users().search(search, first, max, false);
        List<UserView> out = new ArrayList<>();
        for (UserRepresentation u : users) {
            out.add(view(u));
        }
        return out;
    }

    @Override
    public Optional<UserView> find(String username) {
        return representation(username).map(this::view);
    }

    @Override
    public void grant(String username, String role) {
        UserResource u = user(username);
        // the roles this client may map to the user (view-users + manage-users); looking a realm role up by name
        // or listing the realm's roles would need view-realm, which the client does not hold
        RoleRepresentation r = u.roles().realmLevel().listAvailable().stream().filter(x -> x.getName().equals(role))
                .findFirst().orElse(null);
        if (r == null) {
            if (u.roles().realmLevel().listAll().stream().anyMatch(x -> x.getName().equals(role))) {
                return; // held already
            }
            throw GrpcProblems.of(Status.Code.NOT_FOUND, "no realm role " + role,
                    List.of(new GrpcProblems.Violation("role", "not a realm role")));
        }
        u.roles().realmLevel().add(List.of(r));
    }

    @Override
    public void revoke(String username, String role) {
        UserResource u = user(username);
        List<RoleRepresentation> held = u.roles().realmLevel().listAll().stream()
                .filter(r -> r.getName().equals(role)).toList();
        if (!held.isEmpty()) {
            u.roles().realmLevel().remove(held);
        }
    }

    @Override
    public void setHospitals(String username, List<String> hospitals) {
        UserRepresentation rep = representation(username).orElseThrow(() -> notFound(username));
        Map<String, List<String>> attributes = rep.getAttributes() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(rep.getAttributes());
        if (hospitals.isEmpty()) {
            attributes.remove(Caller.HOSPITAL_CLAIM);
        } else {
            attributes.put(Caller.HOSPITAL_CLAIM, List.copyOf(hospitals));
        }
        rep.setAttributes(attributes);
        realm().users().get(rep.getId()).update(rep);
    }

    private UserView view(UserRepresentation u) {
        List<String> roles = realm().users().get(u.getId()).roles().realmLevel().listAll().stream()
                .map(RoleRepresentation::getName).filter(SUITE_ROLES::contains).sorted().toList();
        List<String> hospitals = u.getAttributes() == null
                ? List.of()
                : u.getAttributes().getOrDefault(Caller.HOSPITAL_CLAIM, List.of());
        return new UserView(u.getUsername(), Boolean.TRUE.equals(u.isEnabled()), roles, List.copyOf(hospitals));
    }

    private Optional<UserRepresentation> representation(String username) {
        return realm().users().searchByUsername(username, true).stream()
                .filter(u -> u.getUsername().equalsIgnoreCase(username)).findFirst();
    }

    private UserResource user(String username) {
        return realm().users().get(representation(username).orElseThrow(() -> notFound(username)).getId());
    }

    private static RuntimeException notFound(String username) {
        return GrpcProblems.of(Status.Code.NOT_FOUND, "no user " + username,
                List.of(new GrpcProblems.Violation("username", "not found")));
    }
}
