package org.covidrisk.gateway.security;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * One bucket4j token bucket per user, in memory (one gateway instance: the limit protects the backends of this
 * instance; several instances each apply it). Buckets of users idle for an hour are dropped, and at most
 * {@code gateway.rate-limit.max-users} are kept.
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of one request's try. */
    public record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    private final Cache<String, Bucket> buckets;
    private final GatewayConfig.RateLimit limit;

    @Inject
    public RateLimiter(GatewayConfig config) {
        this.limit = config.rateLimit();
        this.buckets = Caffeine.newBuilder().maximumSize(limit.maxUsers()).expireAfterAccess(1, TimeUnit.HOURS)
                .build();
    }

    public boolean enabled() {
        return limit.enabled();
    }

    /** Takes one token from the user's bucket. */
    public Decision tryTake(String user) {
        Bucket bucket = buckets.get(user, u -> Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(limit.capacity()).refillGreedy(limit.refillTokens(), limit.refillPeriod()).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, probe.getRemainingTokens(), 0);
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        return new Decision(false, 0, seconds);
    }
}
