package dev.recon.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Times a piece of work several times; reports the median, and recon's peak heap and RSS. */
public final class Measure {
    private Measure() {
    }

    interface Work {
        void run() throws Exception;
    }

    /** One measured line: median seconds, peak heap and RSS in MiB (of the worst run), or -1 when not measured. */
    public record Result(double seconds, double peakHeapMib, double peakRssMib) {
    }

    /**
     * recon's result and the floor's median seconds, measured in alternation; and the median,
     * fastest and slowest of the same work as a whole process of its own (-1 when not measured).
     */
    public record Paired(Result recon, double floorSeconds, double wholeSeconds, double wholeMin, double wholeMax) {
    }

    /**
     * Runs {@code floor} and {@code work} in turn, {@code runs} times each (floor first), so a
     * machine whose speed drifts during the benchmark — a shared virtual machine — slows both
     * alike instead of whichever ran during the slow minutes. {@code floor} may be null.
     */
    public static Paired paired(int runs, Work before, Work work, Work floorBefore, Work floor, boolean memory)
            throws Exception {
        return paired(runs, before, work, floorBefore, floor, memory, null);
    }

    /**
     * The same, and after each in-process run the work as a whole process ({@code whole}, after
     * {@code before} again), the way a user times the command; {@code whole} may be null.
     */
    public static Paired paired(int runs, Work before, Work work, Work floorBefore, Work floor, boolean memory,
            Work whole) throws Exception {
        List<Double> wholeTimes = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        List<Double> floorTimes = new ArrayList<>();
        double heap = -1;
        double rss = -1;
        for (int i = 0; i < runs; i++) {
            if (floor != null) {
                floorBefore.run();
                long start = System.nanoTime();
                floor.run();
                floorTimes.add((System.nanoTime() - start) / 1e9);
            }
            before.run();
            if (memory) {
                resetPeaks();
            }
            HeapSampler sampler = memory ? HeapSampler.start() : null;
            long start = System.nanoTime();
            try {
                work.run();
            } finally {
                if (sampler != null) {
                    heap = Math.max(heap, sampler.stop());
                }
            }
            times.add((System.nanoTime() - start) / 1e9);
            if (memory) {
                rss = Math.max(rss, peakRssMib());
            }
            if (whole != null) {
                before.run();
                long begin = System.nanoTime();
                whole.run();
                wholeTimes.add((System.nanoTime() - begin) / 1e9);
            }
        }
        return new Paired(new Result(median(times), heap, rss), floorTimes.isEmpty() ? -1 : median(floorTimes),
                wholeTimes.isEmpty() ? -1 : median(wholeTimes),
                wholeTimes.stream().mapToDouble(Double::doubleValue).min().orElse(-1),
                wholeTimes.stream().mapToDouble(Double::doubleValue).max().orElse(-1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            // Linux: writing 5 resets the process's peak resident set size (VmHWM).
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | SecurityException ignored) {
            // not Linux, or not allowed: RSS then reports the process's lifetime peak
        }
    }

    /**
     * Samples the heap in use (all pools at one instant) every 5 ms; the maximum is the peak.
     * Summing each pool's own peak would overcount: eden, survivor and old peak at different times.
     */
    private static final class HeapSampler implements Runnable {
        private final Thread thread = new Thread(this, "heap-sampler");
        private volatile boolean running = true;
        private volatile long max;

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                max = Math.max(max, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        double stop() throws InterruptedException {
            running = false;
            thread.join();
            max = Math.max(max, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            return max / 1048576.0;
        }
    }

    private static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return -1;
    }
}
