package org.covidrisk.gateway.admin;

import java.util.List;

/**
 * A user account as the security admin sees it: no patient data, only what access it has.
 *
 * @param roles the suite's realm roles granted directly to the user
 * @param hospitals the {@code hospital} attribute
 */
public record UserView(String username, boolean enabled, List<String> roles, List<String> hospitals) {
}
