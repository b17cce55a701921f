package org.covidrisk.imaging.model;

import java.util.Map;

/**
 * Where a saved X-ray model comes from; stored as {@code provenance.json} beside the weights.
 *
 * @param format version of the saved layout (weights file name and this record)
 * @param task {@code survival} (outputs: survived, died) or {@code finding}
 * @param architecture {@link NetOptions#architecture()}
 * @param net network options, enough to rebuild the block before loading the weights
 * @param pretraining options of the findings pre-training, null when trained from scratch
 * @param training options of the final training
 * @param dataSha256 hash of the training directory (metadata and images)
 * @param trainImages images used in the final training
 * @param trainPatients patients used in the final training
 * @param seed seed of the run
 * @param versions DJL, PyTorch engine and Java versions
 * @param createdAt ISO-8601 instant of the end of training
 */
public record Provenance(int format, String task, String architecture, NetOptions net, TrainOptions pretraining,
        TrainOptions training, String dataSha256, int trainImages, int trainPatients, long seed,
        Map<String, String> versions, String createdAt) {

    /** Layout written by this version of the code. */
    public static final int FORMAT = 1;
}
