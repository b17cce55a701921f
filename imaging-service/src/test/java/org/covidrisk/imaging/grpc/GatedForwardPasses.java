package org.covidrisk.imaging.grpc;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.service.ForwardPasses;
import org.covidrisk.imaging.service.MicroBatcher;

/**
 * The real forward passes behind a gate the test opens, so requests can be made to pile up in the queue without
 * relying on timing. Enabled only by {@link ImagingQueueTest}'s profile.
 */
@Alternative
@ApplicationScoped
public class GatedForwardPasses extends ForwardPasses {

    static volatile CountDownLatch gate = new CountDownLatch(0);
    static volatile CountDownLatch entered = new CountDownLatch(0);

    @Override
    public MicroBatcher.Batch<float[], Float> create(XrayModel model) {
        MicroBatcher.Batch<float[], Float> real = super.create(model);
        return new MicroBatcher.Batch<>() {
            @Override
            public List<Float> apply(List<float[]> inputs) throws Exception {
                entered.countDown();
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
                return real.apply(inputs);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }
}
