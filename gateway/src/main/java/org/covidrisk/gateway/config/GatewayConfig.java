package org.covidrisk.gateway.config;

import java.time.Duration;

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
}
