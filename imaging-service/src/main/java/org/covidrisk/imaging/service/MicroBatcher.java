package org.covidrisk.imaging.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Dynamic batching in front of a fixed set of workers: requests wait in one bounded queue; a free worker takes
 * the oldest, then collects whatever else arrives within {@code maxWait} (up to {@code maxBatch} in all) and runs
 * one batched call for them. Under load the queue is never empty, so batches fill without waiting; alone, a
 * request waits at most {@code maxWait}. A full queue refuses at once ({@link Busy}) instead of piling up, so an
 * overloaded service answers "retry later" rather than timing out.
 *
 * <p>
 * Hand-written: DJL's serving batcher lives in djl-serving (a whole model server, not on this mirror), and a
 * {@code ThreadPoolExecutor} runs one task per request. Each worker owns its {@link Batch} function (a DJL
 * predictor is not thread-safe), made on the worker's thread.
 *
 * @param <I> one request's input
 * @param <O> one request's output
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    /** One worker's batched computation: outputs in input order, as many as inputs. */
    public interface Batch<I, O> extends AutoCloseable {
        List<O> apply(List<I> inputs) throws Exception;

        @Override
        default void close() {
        }
    }

    /** The queue is full. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** The batcher is closing or closed: the request was not run. */
    public static final class Stopped extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(STOPPING);
        }
    }

    private record Pending<I, O>(I input, CompletableFuture<O> result) {
    }

    private static final String STOPPING = "the service is stopping";

    private final BlockingQueue<Pending<I, O>> queue;
    private final int queueCapacity;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean accepting = true;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param name thread name prefix
     * @param workers worker threads, each with its own {@link Batch} from {@code perWorker}
     * @param queueCapacity requests allowed to wait
     * @param maxBatch most requests in one batch
     * @param maxWait longest a worker waits for more requests once it holds one
     */
    public MicroBatcher(String name, int workers, int queueCapacity, int maxBatch, Duration maxWait,
            Supplier<? extends Batch<I, O>> perWorker) {
        if (workers < 1 || queueCapacity < 1 || maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("workers, queue and batch of at least one, wait not negative");
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.queueCapacity = queueCapacity;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> work(perWorker), name + "-" + i);
            t.setDaemon(true);
            this.workers.add(t);
            t.start();
        }
    }

    /** Queues one request; fails at once with {@link Busy} when {@code queueCapacity} requests already wait. */
    public CompletableFuture<O> submit(I input) {
        if (closed || !accepting) {
            throw new Stopped();
        }
        Pending<I, O> p = new Pending<>(input, new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new Busy("the queue is full (" + queueCapacity + " requests waiting); retry later");
        }
        return p.result();
    }

    /** True when a request submitted now would be refused. */
    public boolean full() {
        return queue.remainingCapacity() == 0;
    }

    /** Requests waiting for a worker. */
    public int waiting() {
        return queue.size();
    }

    /** Batched calls run so far. */
    public long batches() {
        return batches.get();
    }

    /** Requests answered by batched calls so far. */
    public long items() {
        return items.get();
    }

    public int workers() {
        return workers.size();
    }

    private void work(Supplier<? extends Batch<I, O>> perWorker) {
        List<Pending<I, O>> taken = new ArrayList<>(maxBatch);
        try (Batch<I, O> batch = perWorker.get()) {
            while (!closed) {
                taken.clear();
                Pending<I, O> first = queue.take();
                running.incrementAndGet();
                try {
                    taken.add(first);
                    collect(taken);
                    run(batch, taken);
                } finally {
                    running.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the worker could not even be set up (e.g. no predictor): fail what waits rather than leave it hanging
            LOG.error("a batch worker stopped", e);
            failAll(e);
        }
        // stopped while gathering a batch: the requests it holds are refused now, not left to their deadlines
        // (those it already answered are complete, and stay as they are)
        for (Pending<I, O> p : taken) {
            p.result().completeExceptionally(new Stopped());
        }
    }

    private void collect(List<Pending<I, O>> taken) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (taken.size() < maxBatch) {
            Pending<I, O> next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (next = queue.poll(left, TimeUnit.NANOSECONDS)) == null) {
                    return;
                }
            }
            taken.add(next);
        }
    }

    private void run(Batch<I, O> batch, List<Pending<I, O>> taken) {
        List<I> inputs = new ArrayList<>(taken.size());
        for (Pending<I, O> p : taken) {
            inputs.add(p.input());
        }
        try {
            List<O> outputs = batch.apply(inputs);
            if (outputs.size() != inputs.size()) {
                throw new IllegalStateException(outputs.size() + " outputs for " + inputs.size() + " inputs");
            }
            batches.incrementAndGet();
            items.addAndGet(inputs.size());
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).result().complete(outputs.get(i));
            }
        } catch (Exception e) {
            for (Pending<I, O> p : taken) {
                p.result().completeExceptionally(e);
            }
        }
    }

    private void failAll(RuntimeException e) {
        Pending<I, O> p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(e);
        }
    }

    /**
     * Stops taking requests ({@link Stopped} from now on), lets the workers answer every request already queued or
     * in a batch (for at most {@code max}), then closes: how a model is replaced without failing the requests it
     * still holds.
     */
    public void drain(Duration max) {
        accepting = false;
        long deadline = System.nanoTime() + max.toNanos();
        while ((!queue.isEmpty() || running.get() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
            try {
                t.join(5000); // each closes its predictor before the model goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failAll(new Stopped());
    }
}
