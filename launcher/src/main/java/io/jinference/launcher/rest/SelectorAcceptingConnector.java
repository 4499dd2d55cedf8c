package io.jinference.launcher.rest;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's connector with no acceptor thread: the selector thread accepts each connection itself and, in Jetty's
 * "eat what you kill" mode, goes on to run the request on that same thread. Jetty's default (one blocking acceptor
 * thread) hands every new connection from the acceptor to the selector and wakes it, one thread hand-off more on the
 * path of each request; OpenAI clients open a new connection for most requests, and llama-server answers a direct
 * client with a single hand-off, so that extra wake-up was part of the time to first token Jinference added.
 */
final class SelectorAcceptingConnector {
    private static final int NO_ACCEPTOR_THREADS = 0;
    private static final int ONE_SELECTOR = 1;

    private SelectorAcceptingConnector() {
    }

    static Connector create(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, NO_ACCEPTOR_THREADS, ONE_SELECTOR,
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
