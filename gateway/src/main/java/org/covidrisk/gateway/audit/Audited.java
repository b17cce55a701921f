package org.covidrisk.gateway.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint whose every answer is written to the audit log by {@link AuditFilter}: the action, the target
 * taken from a path parameter, a header or a query parameter (else from the answer or the {@link AuditContext}),
 * and the HTTP status as the outcome.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    AuditAction value();

    /** Path parameter holding the target (e.g. the patient key). */
    String pathParam() default "";

    /** Header holding the target (e.g. Batch-Id). */
    String header() default "";

    /** Query parameter holding the target. */
    String queryParam() default "";
}
