package org.covidrisk.gateway.admin;

/** A role-management request outside the security admin's remit; answered 403 naming why. */
public class RemitException extends RuntimeException {

    private final String field;

    public RemitException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request part at fault: role, username or hospitals. */
    public String field() {
        return field;
    }
}
