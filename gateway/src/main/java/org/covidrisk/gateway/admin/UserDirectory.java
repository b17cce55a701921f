package org.covidrisk.gateway.admin;

import java.util.List;
import java.util.Optional;

/** The realm's users (Keycloak in the running suite; a fake in the gateway's unit tests). */
public interface UserDirectory {

    /** Users whose name, e-mail or name parts contain {@code search} (all when null), from {@code first}. */
    List<UserView> list(String search, int first, int max);

    Optional<UserView> find(String username);

    /** Grants a realm role; no effect when the user holds it already. */
    void grant(String username, String role);

    /** Removes a realm role; no effect when the user does not hold it. */
    void revoke(String username, String role);

    /** Replaces the user's {@code hospital} attribute. */
    void setHospitals(String username, List<String> hospitals);
}
