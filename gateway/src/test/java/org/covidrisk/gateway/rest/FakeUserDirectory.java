package org.covidrisk.gateway.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.covidrisk.gateway.admin.UserDirectory;
import org.covidrisk.gateway.admin.UserView;

/** In-memory users for the gateway's tests (the real directory is Keycloak, exercised end to end). */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeUserDirectory implements UserDirectory {

    private final Map<String, TreeSet<String>> roles = new ConcurrentHashMap<>();
    private final Map<String, List<String>> hospitals = new ConcurrentHashMap<>();

    public FakeUserDirectory() {
        reset();
    }

    /** sec (security-admin), doc (clinician of MX-09-04), ana (analyst of MX-15-12). */
    public void reset() {
        roles.clear();
        hospitals.clear();
        roles.put("sec", new TreeSet<>(List.of("security-admin")));
        hospitals.put("sec", List.of());
        roles.put("doc", new TreeSet<>(List.of("clinician")));
        hospitals.put("doc", List.of("MX-09-04"));
        roles.put("ana", new TreeSet<>(List.of("analyst")));
        hospitals.put("ana", List.of("MX-15-12"));
    }

    @Override
    public List<UserView> list(String search, int first, int max) {
        List<UserView> out = new ArrayList<>();
        new TreeMap<>(roles).keySet().stream().filter(u -> search == null || u.contains(search)).skip(first)
                .limit(max).forEach(u -> out.add(view(u)));
        return out;
    }

    @Override
    public Optional<UserView> find(String username) {
        return roles.containsKey(username) ? Optional.of(view(username)) : Optional.empty();
    }

    @Override
    public void grant(String username, String role) {
        roles.get(username).add(role);
    }

    @Override
    public void revoke(String username, String role) {
        roles.get(username).remove(role);
    }

    @Override
    public void setHospitals(String username, List<String> list) {
        hospitals.put(username, List.copyOf(list));
    }

    private UserView view(String u) {
        return new UserView(u, true, List.copyOf(roles.get(u)), hospitals.get(u));
    }
}
