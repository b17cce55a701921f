package org.covidrisk.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the gateway (prefix {@code gateway}). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Bytes per gRPC message when an upload is streamed to ingest-service. */
    @WithDefault("262144")
    int uploadChunkBytes();

    /** Deadline of a whole upload (stream and store). */
    @WithDefault("30m")
    Duration uploadTimeout();

    /** Deadline of a score or a read. */
    @WithDefault("15s")
    Duration callTimeout();

    /** Deadline of a training run. */
    @WithDefault("30m")
    Duration trainTimeout();

    /** Largest number of patient ids in one batch score. */
    @WithDefault("500")
    int maxBatchScore();

    /** Per-user rate limit. */
    RateLimit rateLimit();

    /** Request body limits. */
    Body body();

    /** Role management through the Keycloak admin API. */
    Admin admin();

    /** Token bucket per authenticated user (keyed by the token's subject). */
    interface RateLimit {
        /** Off only for load tests. */
        @WithDefault("true")
        boolean enabled();

        /** Bucket size: the burst a user may send at once. */
        @WithDefault("120")
        long capacity();

        /** Tokens added per {@link #refillPeriod()}, spread evenly over it (greedy refill). */
        @WithDefault("600")
        long refillTokens();

        /** Period of {@link #refillTokens()}. */
        @WithDefault("1m")
        Duration refillPeriod();

        /** Users whose buckets are kept in memory at most (least recently used ones are dropped first). */
        @WithDefault("100000")
        long maxUsers();
    }

    /** Body size limits; uploads are streamed and only bounded by {@code quarkus.http.limits.max-body-size}. */
    interface Body {
        /** Largest body of any other request (JSON), in bytes; larger ones are refused with 413 before reading. */
        @WithDefault("1048576")
        long maxJsonBytes();

        /** Paths (regular expressions) whose bodies are streamed uploads, exempt from {@link #maxJsonBytes()}. */
        @WithDefault("/api/v1/uploads/.*,/api/v1/patients/[^/]+/images")
        List<String> streamedPaths();
    }

    /** Role management. */
    interface Admin {
        /** Realm whose users the security admin manages. */
        @WithDefault("covid-risk")
        String realm();

        /** Realm roles a security admin may grant or revoke; anything else (security-admin itself) is refused. */
        @WithDefault("clinician,analyst,data-steward,model-admin,network-analyst")
        Set<String> assignableRoles();

        /** Largest page of the user list. */
        @WithDefault("100")
        int maxUsersPerPage();
    }
}
