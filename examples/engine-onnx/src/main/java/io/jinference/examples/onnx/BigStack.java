package io.jinference.examples.onnx;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a call on a fresh thread with a large stack. Initialising ONNX Runtime's natives and building a session
 * recurse deeper than a default 1 MB Java thread stack allows on some hosts, and a native stack overflow kills the
 * whole server process without a trace (seen on a server's HTTP thread; not in a test runner's main thread).
 */
final class BigStack {

    private static final long STACK_BYTES = 64L << 20;

    private BigStack() {
    }

    static <T> T call(String name, Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(null, task, name, STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }
}
