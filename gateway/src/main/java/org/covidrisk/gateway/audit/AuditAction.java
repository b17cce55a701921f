package org.covidrisk.gateway.audit;

/** What an audit row records. */
public enum AuditAction {
    /** One patient scored (stored, ad-hoc, or one item of a batch). */
    SCORE,
    /** A batch score request (one row, next to a SCORE row per patient). */
    SCORE_BATCH,
    /** One stored patient read. */
    PATIENT_READ,
    /** A page of stored patients listed. */
    PATIENT_LIST,
    /** A model report read. */
    REPORT_READ,
    /** A file of patient rows (DGE, admissions, Tongji, FHIR). */
    UPLOAD,
    /** Outcomes learnt after admission. */
    OUTCOMES,
    /** A chest X-ray of a patient stored. */
    IMAGE_UPLOAD,
    /** A stored X-ray scored by the CNN. */
    IMAGE_SCORE,
    /** A model trained. */
    TRAIN,
    /** A model made the active one of its stage. */
    PROMOTE,
    /** A realm role granted to a user. */
    ROLE_GRANT,
    /** A realm role removed from a user. */
    ROLE_REVOKE,
    /** A user's hospitals replaced. */
    HOSPITAL_SET,
    /** One user read (security admin). */
    USER_READ,
    /** The user list read (security admin). */
    USER_LIST,
    /** The audit log read. */
    AUDIT_READ,
    /** An authenticated request refused for its role, hospital or the role-management remit (403). */
    ACCESS_DENIED;

    /** Actions whose target and detail name a patient or a result: redacted for security admins. */
    public boolean concernsPatients() {
        return this == SCORE || this == PATIENT_READ || this == PATIENT_LIST || this == IMAGE_UPLOAD
                || this == IMAGE_SCORE;
    }
}
