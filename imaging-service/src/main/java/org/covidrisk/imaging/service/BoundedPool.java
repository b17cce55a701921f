package org.covidrisk.imaging.service;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fixed set of worker threads in front of a bounded queue: work beyond {@code workers + queue} is refused at
 * once ({@link Busy}) instead of piling up, so an overloaded service answers "retry later" rather than timing out.
 */
public final class BoundedPool implements AutoCloseable {

    /** The queue is full. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message, null, false, false);
        }
    }

    private final ThreadPoolExecutor executor;
    private final int queueCapacity;

    public BoundedPool(int workers, int queueCapacity, String name) {
        this.queueCapacity = queueCapacity;
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code work} on a worker; fails with {@link Busy} when every worker is busy and the queue is full. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            throw new Busy("imaging queue is full (" + queueCapacity + " requests waiting); retry later");
        }
    }

    public int workers() {
        return executor.getCorePoolSize();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
