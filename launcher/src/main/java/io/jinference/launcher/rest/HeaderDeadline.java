package io.jinference.launcher.rest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request headers take longer than a deadline to arrive. Jetty's idle timeout alone does
 * not stop a slowloris client: one header byte a second keeps the connection busy for ever. Every {@code deadline}
 * each HTTP/1 connection is looked at; one that was inside a request's headers at the previous look, is still there
 * and has completed no request since, has spent at least the deadline on one header block and is closed. So a slow
 * header is cut after between one and two deadlines, and a connection costs one scheduled task per deadline.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Duration deadline;
    private final Scheduler scheduler;

    private HeaderDeadline(Duration deadline, Scheduler scheduler) {
        this.deadline = deadline;
        this.scheduler = scheduler;
    }

    static void install(AbstractConnector connector, Duration deadline) {
        connector.addEventListener(new HeaderDeadline(deadline, connector.getScheduler()));
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            new Watch(http).schedule();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        // a watch stops by itself once it finds its connection closed
    }

    /** The state of one connection at the previous look. */
    private final class Watch implements Runnable {
        private final HttpConnection connection;
        private boolean inHeaders;
        private long messages;

        Watch(HttpConnection connection) {
            this.connection = connection;
            this.messages = connection.getMessagesIn();
        }

        void schedule() {
            scheduler.schedule(this, deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            boolean nowInHeaders = connection.getParser().inHeaderState();
            long nowMessages = connection.getMessagesIn();
            if (inHeaders && nowInHeaders && nowMessages == messages) {
                connection.getEndPoint().close();
                return;
            }
            inHeaders = nowInHeaders;
            messages = nowMessages;
            schedule();
        }
    }
}
