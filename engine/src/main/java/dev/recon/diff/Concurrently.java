package dev.recon.diff;

import dev.recon.base.ReconException;
import dev.recon.db.DatabaseException;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs the two sides' queries at the same time, so each server works while the other does. */
public final class Concurrently {
    private Concurrently() {
    }

    public interface SqlWork<T> {
        T run() throws Exception;
    }

    /** Both results, or the first failure (as the exception the work threw). */
    public static <A, B> Pair<A, B> both(SqlWork<A> left, SqlWork<B> right) {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "recon-side");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<A> a = CompletableFuture.supplyAsync(() -> call(left), pool);
            CompletableFuture<B> b = CompletableFuture.supplyAsync(() -> call(right), pool);
            return new Pair<>(a.join(), b.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof SQLException sql) {
                throw new DatabaseException("a query failed", sql);
            }
            throw new ReconException(String.valueOf(cause.getMessage()), cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(SqlWork<T> work) {
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    public record Pair<A, B> (A left, B right) {
    }
}
