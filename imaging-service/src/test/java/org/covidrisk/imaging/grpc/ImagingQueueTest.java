package org.covidrisk.imaging.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.covidrisk.imaging.service.XrayScorer;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * One predictor, a queue of four, the forward pass held at a gate: requests that wait together are answered by
 * one batched forward pass (counted), and the fifth waiting request is refused with {@code RESOURCE_EXHAUSTED}
 * and a retry delay, which the gateway answers as 503 with {@code Retry-After}.
 */
@QuarkusTest
@TestProfile(ImagingQueueTest.SmallQueue.class)
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(TinyModelResource.class)
class ImagingQueueTest {

    /** One worker, four waiting requests, the gated forward pass. */
    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("imaging.workers", "1", "imaging.queue-capacity", "4", "imaging.max-batch", "16",
                    "imaging.busy-retry-after", "2s");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(GatedForwardPasses.class);
        }
    }

    @TestHTTPResource
    URL url;

    @Inject
    XrayScorer scorer;

    @Test
    void waitingRequestsShareAForwardPassAndAFullQueueIsRefusedWithARetryDelay() throws Exception {
        GatedForwardPasses.gate = new CountDownLatch(1);
        GatedForwardPasses.entered = new CountDownLatch(1);
        long passesBefore = scorer.forwardPasses();
        long imagesBefore = scorer.imagesScored();
        try (TestChannel test = new TestChannel(url)) {
            var async = BearerToken.attach(ImagingServiceGrpc.newFutureStub(test.channel()),
                    TestTokens.token("doc", List.of("MX-09-04"), "clinician"));
            List<byte[]> images = new ArrayList<>();
            List<ListenableFuture<ScoreImageResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                images.add(ImagingGrpcServiceTest.png(ImagingGrpcServiceTest.xray(3 + 2 * i)));
                answers.add(async.scoreImage(request(images.get(i))));
                if (i == 0) {
                    assertTrue(GatedForwardPasses.entered.await(30, TimeUnit.SECONDS)); // the worker holds it
                }
            }
            awaitWaiting(4);
            var blocking = BearerToken.attach(ImagingServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("doc", List.of("MX-09-04"), "clinician"));
            StatusRuntimeException busy = assertThrows(StatusRuntimeException.class,
                    () -> blocking.scoreImage(request(images.get(0))));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getStatus().getCode());
            assertEquals("every X-ray predictor is busy and 4 requests are waiting; retry later",
                    busy.getStatus().getDescription());
            assertEquals(Optional.of(Duration.ofSeconds(2)), GrpcProblems.retryDelayOf(busy));

            GatedForwardPasses.gate.countDown();
            for (int i = 0; i < 5; i++) {
                ScoreImageResponse r = answers.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(ImagingGrpcService.sha256(images.get(i)), r.getImageSha256());
                assertEquals(ImagingGrpcServiceTest.expected(images.get(i)), r.getProbability(), 1e-5,
                        "request " + i + " got its own image's score out of the batch");
            }
        }
        assertEquals(2, scorer.forwardPasses() - passesBefore, "one pass for the held request, one for the four");
        assertEquals(5, scorer.imagesScored() - imagesBefore);
    }

    private void awaitWaiting(int n) throws InterruptedException {
        // synchronisation, not timing: the four requests are decoded on gRPC worker threads before they queue
        for (int i = 0; i < 600 && scorer.waiting() < n; i++) {
            Thread.sleep(50);
        }
        assertEquals(n, scorer.waiting());
    }

    private static ScoreImageRequest request(byte[] bytes) {
        return ScoreImageRequest.newBuilder().setPatientId("p").setHospital("MX-09-04")
                .setImage(ByteString.copyFrom(bytes)).build();
    }
}
