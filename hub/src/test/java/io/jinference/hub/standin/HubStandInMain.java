package io.jinference.hub.standin;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the Hugging Face Hub STAND-IN as a program, for the huggingface_hub interoperability tests (clients-hub/) and
 * the download throughput script: {@code HubStandInMain [--port N] [--bind IPV4] org/name=FILE_OR_FOLDER ...}, the
 * options first (without {@code --bind} it listens on loopback). A file is served as the only file of its repository,
 * a folder with everything in it. Prints {@code HUB_STAND_IN <endpoint>} once it listens, and serves until it is
 * killed.
 */
public final class HubStandInMain {
    private HubStandInMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        InetAddress bind = null;
        HubStandIn standIn = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[++i]);
                continue;
            }
            if (args[i].equals("--bind")) {
                bind = InetAddress.getByName(args[++i]);
                continue;
            }
            if (standIn == null) {
                standIn = HubStandIn.start(bind, port);
            }
            int equals = args[i].indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Expected org/name=PATH, got " + args[i]);
            }
            String repoId = args[i].substring(0, equals);
            Path source = Path.of(args[i].substring(equals + 1));
            standIn.add(Files.isDirectory(source) ? StandInRepo.ofFolder(repoId, source)
                    : new StandInRepo(repoId, Map.of(source.getFileName().toString(), source)));
        }
        if (standIn == null) {
            standIn = HubStandIn.start(bind, port);
        }
        System.out.println("HUB_STAND_IN " + standIn.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
