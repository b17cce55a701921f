package org.covidrisk.imaging.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BoundedPoolTest {

    @Test
    void refusesWorkBeyondWorkersPlusQueueAndRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try (BoundedPool pool = new BoundedPool(2, 3, "test")) {
            List<CompletableFuture<Integer>> accepted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                final int n = i;
                accepted.add(pool.submit(() -> {
                    started.countDown();
                    await(release);
                    return n * n;
                }));
                if (i == 1) {
                    started.await(5, TimeUnit.SECONDS); // both workers busy before the queue fills
                }
            }
            BoundedPool.Busy busy = assertThrows(BoundedPool.Busy.class, () -> pool.submit(() -> 0));
            assertEquals("imaging queue is full (3 requests waiting); retry later", busy.getMessage());
            release.countDown();
            int sum = 0;
            for (var f : accepted) {
                sum += f.get(5, TimeUnit.SECONDS);
            }
            assertEquals(0 + 1 + 4 + 9 + 16, sum);
            assertEquals(7, pool.submit(() -> 7).get(5, TimeUnit.SECONDS));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
