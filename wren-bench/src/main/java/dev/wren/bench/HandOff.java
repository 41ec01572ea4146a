package dev.wren.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What waking a parked thread costs on this machine: two threads pass a turn back and forth, each parking until the
 * other unparks it ({@code Bench handoff}). A client whose acknowledgements travel from the socket's thread to a
 * callback thread and from there to the publishing thread pays this for every hop in which the next thread was
 * asleep; BENCHMARKS.md uses it to explain the publish-only QoS 1 and 2 rates.
 *
 * <p>Not thread-safe: run once, from one thread.
 */
final class HandOff {
    private static volatile long turn; // odd: the other thread's turn
    private static volatile Thread main;

    private HandOff() {
    }

    static void run(String[] args) throws InterruptedException {
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        int rounds = 7;
        main = Thread.currentThread();
        Thread other = new Thread(() -> {
            for (long i = 1; i < 2L * perRound * rounds; i += 2) {
                while (turn != i) {
                    LockSupport.park();
                }
                turn = i + 1;
                LockSupport.unpark(main);
            }
        }, "hand-off");
        other.setDaemon(true);
        other.start();
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                long me = turn;
                turn = me + 1;
                LockSupport.unpark(other);
                while (turn != me + 2) {
                    LockSupport.park();
                }
            }
            micros[r] = (System.nanoTime() - t0) / 2e3 / perRound;
        }
        other.join();
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "one hand-off to a parked thread: median %.1f µs over %d rounds of %,d round "
                + "trips (lowest %.1f, highest %.1f)%n", sorted[rounds / 2], rounds, perRound, sorted[0],
                sorted[rounds - 1]);
    }
}
