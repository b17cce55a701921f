package org.covidrisk.platform.security;

/** Realm roles of the suite (Keycloak realm {@code covid-risk}, see deploy/keycloak). */
public final class Roles {
    /** Scores and reads patients of their own hospital. */
    public static final String CLINICIAN = "clinician";
    /** Reads the reports of their own hospital. */
    public static final String ANALYST = "analyst";
    /** Uploads data for their own hospital. */
    public static final String DATA_STEWARD = "data-steward";
    /** Trains, compares and promotes models. */
    public static final String MODEL_ADMIN = "model-admin";
    /** Manages users' roles and hospital; never sees patient data. */
    public static final String SECURITY_ADMIN = "security-admin";
    /** Reads reports across hospitals. */
    public static final String NETWORK_ANALYST = "network-analyst";

    private Roles() {
    }
}
