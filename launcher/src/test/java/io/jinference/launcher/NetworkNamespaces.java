package io.jinference.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for a cluster test, made with {@code ip} (root only) and removed by {@link #close()}: a bridge
 * in this namespace with the address {@code 10.213.N.254}, and per node a namespace with a veth pair whose inner end
 * has {@code 10.213.N.(i+1)}. Each node then has an address of its own, as on separate hosts, and a link can be cut.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final String id;
    private final int subnet;
    private final int count;
    private final List<String> made = new ArrayList<>();

    private NetworkNamespaces(String id, int subnet, int count) {
        this.id = id;
        this.subnet = subnet;
        this.count = count;
    }

    /** The namespaces, or empty with the reason when they cannot be made here (not root, no {@code ip}). */
    static Optional<NetworkNamespaces> create(int count, List<String> whyNot) {
        if (!"root".equals(System.getProperty("user.name"))) {
            whyNot.add("the tests do not run as root");
            return Optional.empty();
        }
        String id = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff));
        NetworkNamespaces namespaces = new NetworkNamespaces(id, 1 + ThreadLocalRandom.current().nextInt(250), count);
        try {
            namespaces.make();
            return Optional.of(namespaces);
        } catch (IllegalStateException e) {
            whyNot.add(e.getMessage());
            namespaces.close();
            return Optional.empty();
        }
    }

    private void make() {
        String bridge = "jbr" + id;
        ip("link", "add", bridge, "type", "bridge");
        made.add("link:" + bridge);
        ip("addr", "add", hostAddress() + "/24", "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int i = 0; i < count; i++) {
            String namespace = namespace(i);
            ip("netns", "add", namespace);
            made.add("netns:" + namespace);
            String outer = "jv" + id + i;
            String inner = "jp" + id + i;
            ip("link", "add", outer, "type", "veth", "peer", "name", inner);
            ip("link", "set", inner, "netns", namespace);
            ip("link", "set", outer, "master", bridge);
            ip("link", "set", outer, "up");
            ip("-n", namespace, "addr", "add", address(i) + "/24", "dev", inner);
            ip("-n", namespace, "link", "set", inner, "up");
            ip("-n", namespace, "link", "set", "lo", "up");
        }
    }

    String namespace(int node) {
        return "jinf" + id + "n" + node;
    }

    /** The node's own address. */
    String address(int node) {
        return "10.213." + subnet + "." + (node + 1);
    }

    /** This (the test's) namespace's address on the bridge. */
    String hostAddress() {
        return "10.213." + subnet + ".254";
    }

    /** The command prefix that runs a command in the node's namespace. */
    List<String> prefix(int node) {
        return List.of("ip", "netns", "exec", namespace(node));
    }

    /** Cuts the node's link to the bridge (a network partition), or restores it. */
    void link(int node, boolean up) {
        ip("link", "set", "jv" + id + node, up ? "up" : "down");
    }

    /** Kills what is left running in the node's namespace (a killed server's engine processes). */
    void killAll(int node) {
        String pids = run(List.of("ip", "netns", "pids", namespace(node)));
        for (String pid : pids.split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Override
    public void close() {
        for (int i = made.size() - 1; i >= 0; i--) {
            String thing = made.get(i);
            try {
                if (thing.startsWith("netns:")) {
                    killAll(Integer.parseInt(thing.substring(thing.lastIndexOf('n') + 1)));
                    ip("netns", "del", thing.substring("netns:".length()));
                } else {
                    ip("link", "del", thing.substring("link:".length()));
                }
            } catch (IllegalStateException e) {
                // keep removing the rest
            }
        }
        made.clear();
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        run(command);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
