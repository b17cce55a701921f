package org.covidrisk.gateway.rest;

import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.admin.RoleRemit;
import org.covidrisk.gateway.admin.UserDirectory;
import org.covidrisk.gateway.admin.UserView;
import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.AuditContext;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.grpc.Status;

/**
 * Role management for security admins: users, their realm roles and hospital attribute, through the Keycloak admin
 * API. A change takes effect with the user's next token. Every change and read is audited.
 */
@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SECURITY_ADMIN)
public class AdminUserResource {

    private static final Logger LOG = Logger.getLogger(AdminUserResource.class);

    /** A user's new hospitals; an empty list removes them all. */
    public record HospitalsCommand(
            @NotNull @Size(max = 20) List<@NotNull @Pattern(regexp = "^[A-Z]{2}-[A-Z0-9-]{2,28}$", message = "must be a hospital key like MX-09-04") String> hospitals) {
    }

    @Inject
    UserDirectory users;

    @Inject
    RoleRemit remit;

    @Inject
    CurrentCaller caller;

    @Inject
    AuditContext audit;

    @Inject
    GatewayConfig config;

    @GET
    @Audited(AuditAction.USER_LIST)
    @Operation(summary = "Users of the realm with their suite roles and hospitals")
    public List<UserView> list(@QueryParam("search") @Size(max = 100) String search,
            @QueryParam("first") @DefaultValue("0") @Min(0) int first,
            @QueryParam("max") @DefaultValue("50") @Min(1) @Max(1000) int max) {
        int size = Math.min(max, config.admin().maxUsersPerPage());
        List<UserView> page = keycloak(() -> users.list(search == null || search.isBlank() ? null : search.strip(),
                first, size));
        audit.detail(page.size() + " users");
        return page;
    }

    @GET
    @Path("/{username}")
    @Audited(value = AuditAction.USER_READ, pathParam = "username")
    @Operation(summary = "One user with their suite roles and hospitals")
    public UserView get(@PathParam("username") String username) {
        return keycloak(() -> users.find(username)).orElseThrow(() -> noUser(username));
    }

    @PUT
    @Path("/{username}/roles/{role}")
    @Audited(value = AuditAction.ROLE_GRANT, pathParam = "username")
    @Operation(summary = "Grant a realm role (clinician, analyst, data-steward, model-admin, network-analyst)", description = "403 for security-admin, roles outside the list, and your own account.")
    public UserView grant(@PathParam("username") String username, @PathParam("role") String role) {
        Caller admin = caller.get();
        audit.detail("role " + role);
        remit.checkRoleChange(admin, username, role);
        existing(username);
        keycloak(() -> {
            users.grant(username, role);
            return null;
        });
        LOG.infof("role %s granted to %s by %s", role, username, admin.username());
        return existing(username);
    }

    @DELETE
    @Path("/{username}/roles/{role}")
    @Audited(value = AuditAction.ROLE_REVOKE, pathParam = "username")
    @Operation(summary = "Remove a realm role (same remit as granting)")
    public UserView revoke(@PathParam("username") String username, @PathParam("role") String role) {
        Caller admin = caller.get();
        audit.detail("role " + role);
        remit.checkRoleChange(admin, username, role);
        existing(username);
        keycloak(() -> {
            users.revoke(username, role);
            return null;
        });
        LOG.infof("role %s removed from %s by %s", role, username, admin.username());
        return existing(username);
    }

    @PUT
    @Path("/{username}/hospitals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Audited(value = AuditAction.HOSPITAL_SET, pathParam = "username")
    @Operation(summary = "Replace a user's hospitals (JSON: {\"hospitals\": [\"MX-09-04\"]})")
    public UserView hospitals(@PathParam("username") String username, @NotNull @Valid HospitalsCommand command) {
        Caller admin = caller.get();
        List<String> hospitals = command.hospitals().stream().distinct().toList();
        audit.detail("hospitals " + String.join(",", hospitals));
        remit.checkHospitalChange(admin, username);
        existing(username);
        keycloak(() -> {
            users.setHospitals(username, hospitals);
            return null;
        });
        LOG.infof("hospitals of %s set to %s by %s", username, hospitals, admin.username());
        return existing(username);
    }

    private UserView existing(String username) {
        return keycloak(() -> users.find(username)).orElseThrow(() -> noUser(username));
    }

    private static RuntimeException noUser(String username) {
        return GrpcProblems.of(Status.Code.NOT_FOUND, "no user " + username,
                List.of(new GrpcProblems.Violation("username", "not found")));
    }

    /**
     * Keycloak's refusals are the gateway's configuration problem (the admin client lacks a permission), not the
     * caller's: answered 502 and logged, never passed on as the caller's 403 or 404.
     */
    private static <T> T keycloak(Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            LOG.errorf("Keycloak admin API answered %d", e.getResponse().getStatus());
            throw Status.INTERNAL.withDescription("the identity provider refused the change").asRuntimeException();
        } catch (ProcessingException e) {
            LOG.errorf("Keycloak admin API unreachable: %s", e.getMessage());
            throw Status.UNAVAILABLE.withDescription("the identity provider is unreachable").asRuntimeException();
        }
    }
}
