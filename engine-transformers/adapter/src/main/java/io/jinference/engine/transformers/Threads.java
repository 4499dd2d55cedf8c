package io.jinference.engine.transformers;

/** Waiting for a thread that must be allowed to finish. */
final class Threads {
    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, even when interrupted meanwhile (the interrupt is kept for the caller):
     * what the thread holds, native memory included, must not be released under it.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
