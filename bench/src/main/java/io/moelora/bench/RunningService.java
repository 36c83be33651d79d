package io.moelora.bench;

import io.moelora.kafkalocal.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A packaged service started by a benchmark: its process, its HTTP port and its memory. */
final class RunningService implements AutoCloseable {

    private final ServiceKind kind;
    private final ServiceProcess process;
    private final int port;

    RunningService(ServiceKind kind, ServiceProcess process, int port) {
        this.kind = kind;
        this.process = process;
        this.port = port;
    }

    ServiceKind kind() {
        return kind;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.alive();
    }

    double rssMib() throws IOException {
        return ProcessMemory.rssMib(process.pid());
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early when the process died. */
    RunningService awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IOException(kind.module() + " exited during start-up; see " + process.log());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(kind.module() + " not ready within " + timeout + "; see " + process.log());
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it takes longer than a minute. */
    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
