package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The merge's read-ahead on its own: what it hands over, how it fails, how it stops. */
class PrefetchedTest {
    private static final Runnable NO_CANCEL = () -> { };

    private static SideRow row(int i, int width) {
        String[] values = {String.valueOf(i), "x".repeat(width)};
        return new SideRow(values, false, 1, new Object[] {i});
    }

    /** Rows 0..n-1, then {@code failure} thrown (null: the end). */
    private static Iterator<SideRow> rows(int n, int width, Throwable failure, AtomicInteger pulled) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (pulled.get() == n && failure != null) {
                    PrefetchedTest.<RuntimeException>sneaky(failure);
                }
                return pulled.get() < n;
            }

            @Override
            public SideRow next() {
                return row(pulled.getAndIncrement(), width);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private static List<Integer> drain(Prefetched ahead) {
        List<Integer> keys = new ArrayList<>();
        while (ahead.hasNext()) {
            keys.add((Integer) ahead.next().sortKey()[0]);
        }
        return keys;
    }

    @Test
    void handsOverEveryRowInOrderThenEnds() {
        try (Prefetched ahead = new Prefetched(rows(2_345, 3, null, new AtomicInteger()), "t", NO_CANCEL)) {
            List<Integer> keys = drain(ahead);
            assertThat(keys).hasSize(2_345);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(keys.get(i)).isEqualTo(i);
            }
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void aFailureComesAfterTheRowsReadBeforeItWhateverItIs() {
        List<Integer> seen = new ArrayList<>();
        try (Prefetched ahead = new Prefetched(rows(1_500, 3, new IllegalStateException("lost the server"),
                new AtomicInteger()), "t", NO_CANCEL)) {
            assertThatThrownBy(() -> {
                while (ahead.hasNext()) {
                    seen.add((Integer) ahead.next().sortKey()[0]);
                }
            }).isInstanceOf(IllegalStateException.class).hasMessage("lost the server");
        }
        assertThat(seen).hasSize(1_500);
        // a checked exception a driver throws undeclared ends the merge too, instead of leaving it waiting
        try (Prefetched ahead = new Prefetched(rows(10, 3, new java.sql.SQLException("undeclared"),
                new AtomicInteger()), "t", NO_CANCEL)) {
            assertThatThrownBy(() -> drain(ahead)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("undeclared").hasCauseInstanceOf(java.sql.SQLException.class);
        }
    }

    @Test
    void wideRowsMakeShortBatchesSoThatWhatWaitsStaysSmall() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        try (Prefetched ahead = new Prefetched(rows(100_000, 150_000, null, pulled), "t", NO_CANCEL)) {
            Thread.sleep(500);
            // 300 KB a row: batches of 4 rows (1 MiB), four waiting and one being filled
            assertThat(pulled.get()).isBetween(16, 4 * 5 + 1);
            assertThat(ahead.next().sortKey()[0]).isEqualTo(0);
        }
        AtomicInteger narrow = new AtomicInteger();
        try (Prefetched ahead = new Prefetched(rows(100_000, 3, null, narrow), "t", NO_CANCEL)) {
            Thread.sleep(500);
            assertThat(narrow.get()).isBetween(Prefetched.BATCH * Prefetched.BATCHES,
                    Prefetched.BATCH * (Prefetched.BATCHES + 1) + 1);
        }
    }

    @Test
    void closingEarlyStopsAReaderThatWaitsForRoomAndCancelsOneThatWaitsForItsFetch() throws Exception {
        Prefetched endless = new Prefetched(rows(Integer.MAX_VALUE, 3, null, new AtomicInteger()), "t-full",
                NO_CANCEL);
        assertThat(endless.next().sortKey()[0]).isEqualTo(0);
        long start = System.nanoTime();
        endless.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);

        // a reader stuck in its fetch (a slow server): after a moment close() cancels it
        CountDownLatch fetch = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        Iterator<SideRow> stuck = new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                if (n == 3) {
                    waiting.countDown();
                    try {
                        if (!fetch.await(60, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("never cancelled");
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new IllegalStateException("canceling statement due to user request");
                }
                return true;
            }

            @Override
            public SideRow next() {
                return row(n++, 3);
            }
        };
        Prefetched slow = new Prefetched(stuck, "t-slow", () -> {
            cancelled.set(true);
            fetch.countDown();
        });
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        start = System.nanoTime();
        slow.close();
        assertThat(cancelled).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("t-"));
    }
}
