package io.tocsin.store;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs dynalite (the local DynamoDB engine pinned in {@code infra/dynalite}) as a child process on a free loopback
 * port. In memory unless a data directory is given. Used by the local run and by the tests; never in AWS.
 */
public final class DynaliteServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private DynaliteServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param projectDir the folder holding {@code infra/dynalite} (the project root)
     * @param dataDir    where to persist tables, or null for a fresh in-memory engine
     */
    public static DynaliteServer start(Path projectDir, Path dataDir) {
        Path cli = projectDir.resolve("infra/dynalite/node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("dynalite is not installed at " + cli
                    + ": any ./mvnw build installs it (npm ci in infra/dynalite)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("node", cli.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0",
                "--updateTableMs", "0"));
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create dynalite data folder " + dataDir, e);
            }
            command.add("--path");
            command.add(dataDir.toString());
        }
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(projectDir)))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start dynalite (is Node.js on the PATH?)", e);
        }
        DynaliteServer server = new DynaliteServer(process, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dynalite-stop"));
        server.awaitListening();
        return server;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with code " + process.exitValue()
                        + " before listening; see target/dynalite.log");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        close();
        throw new IllegalStateException("dynalite did not listen on port " + port + " within " + START_TIMEOUT);
    }

    private static File logFile(Path projectDir) {
        Path target = projectDir.resolve("target");
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return target.resolve("dynalite.log").toFile();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for dynalite", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }
}
