package org.covidrisk.gateway.audit;

/** What an audit row records. */
public enum AuditAction {
    /** One patient scored (stored, ad-hoc, or one item of a batch). */
    SCORE,
    /** A batch score request (one row, next to a SCORE row per patient). */
    SCORE_BATCH, PATIENT_READ, PATIENT_LIST, REPORT_READ, UPLOAD, TRAIN, PROMOTE, ROLE_GRANT, ROLE_REVOKE, HOSPITAL_SET, USER_READ, USER_LIST, AUDIT_READ,
    /** An authenticated request refused for its role, hospital or the role-management remit (403). */
    ACCESS_DENIED;

    /** Actions whose target and detail name a patient or a result: redacted for security admins. */
    public boolean concernsPatients() {
        return this == SCORE || this == PATIENT_READ || this == PATIENT_LIST || this == IMAGE_UPLOAD
                || this == IMAGE_SCORE;
    }
}
