package io.jinference.launcher.rest;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that goes away while its generation request is answered, also when nothing is being written to
 * it (a non-streaming request waits for the whole generation). Jetty learns that a connection closed only when it
 * reads from it, and it reads nothing while a handler runs, so the watcher asks the connection's endpoint to call
 * back when it becomes readable. The request has been read in full by then, so readable means the client closed the
 * connection (end of stream) or reset it: {@link #gone()} turns true and the {@link #onGone} actions run (cancel the
 * upstream request). As with nginx, a client that shuts down only its sending side after the request counts as gone.
 * A client that pipelines its next request behind a generation request (which RFC 9112 advises against for POST)
 * loses the byte the watcher read; that request then fails with 400 instead of going unnoticed.
 *
 * <p>HTTP/1.x only: an HTTP/2 connection carries many requests, so its closing is not one client's. Closing the
 * watcher (always before the handler returns) takes its read interest back, so Jetty reads the next request itself.
 */
final class ClientConnection implements AutoCloseable {
    private static final IOException STOPPED = new IOException("the request's handler finished");

    private final AbstractEndPoint endPoint;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final Callback readable = Callback.from(this::readable, this::failed);
    private boolean armed;
    private boolean closed;
    private volatile boolean aborted;

    private ClientConnection(AbstractEndPoint endPoint) {
        this.endPoint = endPoint;
    }

    /** Starts watching the connection of this request, whose body must have been read already. */
    static ClientConnection watch(Context ctx) {
        ClientConnection connection = new ClientConnection(endPoint(ctx));
        connection.arm();
        return connection;
    }

    private static AbstractEndPoint endPoint(Context ctx) {
        ConnectionMetaData connection;
        try {
            connection = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData();
        } catch (IllegalStateException notJetty) {
            return null;
        }
        HttpVersion version = connection.getHttpVersion();
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return null;
        }
        EndPoint endPoint = connection.getConnection().getEndPoint();
        return endPoint instanceof AbstractEndPoint watchable ? watchable : null;
    }

    /** True once the client closed or reset its connection. */
    boolean gone() {
        return gone.isDone();
    }

    /**
     * Ends the request as if its client had gone (Xinference's {@code abort_request}): the engine stops generating
     * and frees its slot, and a forwarded request is cancelled upstream.
     */
    void abort() {
        aborted = true;
        gone.complete(null);
    }

    /** True when {@link #abort()} ended the request. */
    boolean aborted() {
        return aborted;
    }

    /** Runs the action when the client goes away (at once if it has gone already), on a Jetty thread. */
    void onGone(Runnable action) {
        gone.thenRun(action);
    }

    private synchronized void arm() {
        if (endPoint != null && !closed) {
            armed = endPoint.tryFillInterested(readable);
        }
    }

    private void readable() {
        int read;
        synchronized (this) {
            armed = false;
            if (closed) {
                return;
            }
            try {
                read = endPoint.fill(BufferUtil.allocate(1));
            } catch (IOException reset) {
                read = -1;
            }
            if (read == 0) {
                // Woken without data: wait for the next event.
                arm();
                return;
            }
        }
        if (read < 0) {
            gone.complete(null);
        }
    }

    private void failed(Throwable cause) {
        synchronized (this) {
            armed = false;
        }
        if (cause != STOPPED) {
            gone.complete(null);
        }
    }

    /** Stops watching and hands reading back to Jetty. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (armed) {
                endPoint.getFillInterest().onFail(STOPPED);
            }
        }
    }
}
