package org.covidrisk.gateway.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.platform.security.Caller;

/**
 * What a security admin may change: the assignable roles ({@code gateway.admin.assignable-roles}) and the hospital
 * attribute of other accounts. Never their own account (no one raises their own access), never the
 * {@code security-admin} role (admins are made outside the API, in Keycloak), never a role outside the list.
 */
@ApplicationScoped
public class RoleRemit {

    @Inject
    GatewayConfig config;

    /** Refuses a role grant or removal outside the remit. */
    public void checkRoleChange(Caller admin, String username, String role) {
        checkNotSelf(admin, username);
        if (!config.admin().assignableRoles().contains(role)) {
            throw new RemitException("role", "role " + role + " is outside a security admin's remit (assignable: "
                    + String.join(", ", config.admin().assignableRoles().stream().sorted().toList()) + ")");
        }
    }

    /** Refuses a hospital change of one's own account (the keys are validated with the request body). */
    public void checkHospitalChange(Caller admin, String username) {
        checkNotSelf(admin, username);
    }

    private static void checkNotSelf(Caller admin, String username) {
        if (admin.username() != null && admin.username().equalsIgnoreCase(username)) {
            throw new RemitException("username", "a security admin cannot change their own account");
        }
    }
}
