package org.covidrisk.imaging.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Batching is asserted by counting batches and their sizes, never by timing. */
class MicroBatcherTest {

    /** Doubles its inputs; the first batch waits at a gate, so later requests pile up in the queue. */
    static final class Gated implements MicroBatcher.Batch<Integer, Integer> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final List<Integer> sizes = new CopyOnWriteArrayList<>();

        @Override
        public List<Integer> apply(List<Integer> inputs) throws Exception {
            entered.countDown();
            assertTrue(gate.await(20, TimeUnit.SECONDS));
            sizes.add(inputs.size());
            if (inputs.contains(-1)) {
                throw new IllegalArgumentException("poisoned batch");
            }
            return inputs.stream().map(i -> 2 * i).toList();
        }
    }

    @Test
    void requestsThatWaitTogetherShareOneBatch() throws Exception {
        Gated pass = new Gated();
        try (var batcher = new MicroBatcher<Integer, Integer>("t", 1, 32, 8, Duration.ZERO, () -> pass)) {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            answers.add(batcher.submit(0));
            assertTrue(pass.entered.await(10, TimeUnit.SECONDS)); // the worker holds request 0
            for (int i = 1; i <= 20; i++) {
                answers.add(batcher.submit(i));
            }
            assertEquals(20, batcher.waiting());
            pass.gate.countDown();
            for (int i = 0; i <= 20; i++) {
                assertEquals(2 * i, answers.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of(1, 8, 8, 4), pass.sizes, "one alone, then full batches of at most 8");
            assertEquals(4, batcher.batches());
            assertEquals(21, batcher.items());
        }
    }

    @Test
    void aFreeWorkerWaitsForMoreUpToTheBatchSize() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        MicroBatcher.Batch<Integer, Integer> identity = inputs -> {
            sizes.add(inputs.size());
            return inputs;
        };
        // a wait far longer than three submissions take: the batch closes because it is full, not by time
        try (var batcher = new MicroBatcher<Integer, Integer>("t", 1, 8, 3, Duration.ofSeconds(30), () -> identity)) {
            var a = batcher.submit(1);
            var b = batcher.submit(2);
            var c = batcher.submit(3);
            assertEquals(List.of(1, 2, 3), List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS),
                    c.get(10, TimeUnit.SECONDS)));
            assertEquals(List.of(3), sizes);
            assertEquals(1, batcher.batches());
        }
    }

    @Test
    void closingAnswersTheRequestsAWorkerHolds() throws Exception {
        MicroBatcher.Batch<Integer, Integer> identity = inputs -> inputs;
        var batcher = new MicroBatcher<Integer, Integer>("t", 1, 8, 3, Duration.ofSeconds(30), () -> identity);
        var held = batcher.submit(1);
        // the worker takes it and waits up to 30 s for two more; the queue is empty again
        for (int i = 0; i < 200 && batcher.waiting() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, batcher.waiting());
        batcher.close();
        // answered (refused) at once, not left to the caller's deadline
        ExecutionException e = assertThrows(ExecutionException.class, () -> held.get(5, TimeUnit.SECONDS));
        assertInstanceOf(MicroBatcher.Stopped.class, e.getCause());
        assertEquals("the service is stopping", e.getCause().getMessage());
        assertThrows(MicroBatcher.Stopped.class, () -> batcher.submit(2));
    }

    @Test
    void aFullQueueRefusesAtOnceAndRecovers() throws Exception {
        Gated pass = new Gated();
        try (var batcher = new MicroBatcher<Integer, Integer>("t", 1, 3, 16, Duration.ZERO, () -> pass)) {
            var first = batcher.submit(1);
            assertTrue(pass.entered.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<Integer>> queued = List.of(batcher.submit(2), batcher.submit(3),
                    batcher.submit(4));
            assertTrue(batcher.full());
            MicroBatcher.Busy busy = assertThrows(MicroBatcher.Busy.class, () -> batcher.submit(5));
            assertEquals("the queue is full (3 requests waiting); retry later", busy.getMessage());
            pass.gate.countDown();
            assertEquals(2, first.get(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                assertEquals(2 * (i + 2), queued.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(12, batcher.submit(6).get(10, TimeUnit.SECONDS));
            assertEquals(List.of(1, 3, 1), pass.sizes);
        }
    }

    @Test
    void aFailingBatchFailsOnlyItsOwnRequests() throws Exception {
        Gated pass = new Gated();
        try (var batcher = new MicroBatcher<Integer, Integer>("t", 1, 8, 2, Duration.ZERO, () -> pass)) {
            var held = batcher.submit(1);
            assertTrue(pass.entered.await(10, TimeUnit.SECONDS));
            var poisoned = batcher.submit(-1);
            var sibling = batcher.submit(7);
            var later = batcher.submit(8);
            pass.gate.countDown();
            assertEquals(2, held.get(10, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> poisoned.get(10, TimeUnit.SECONDS));
            assertEquals("poisoned batch", e.getCause().getMessage());
            assertThrows(ExecutionException.class, () -> sibling.get(10, TimeUnit.SECONDS));
            assertEquals(16, later.get(10, TimeUnit.SECONDS));
            assertEquals(2, batcher.batches(), "failed batches are not counted as answered");
        }
    }

    @Test
    void eachWorkerOwnsItsBatchFunction() throws Exception {
        List<Thread> owners = new CopyOnWriteArrayList<>();
        try (var batcher = new MicroBatcher<Integer, Integer>("t", 3, 8, 4, Duration.ZERO, () -> {
            owners.add(Thread.currentThread());
            return inputs -> inputs;
        })) {
            assertEquals(5, batcher.submit(5).get(10, TimeUnit.SECONDS));
            assertEquals(3, batcher.workers());
        }
        assertEquals(3, owners.size());
        assertEquals(3, owners.stream().distinct().count());
        assertTrue(owners.stream().allMatch(t -> t.getName().startsWith("t-")));
    }
}
