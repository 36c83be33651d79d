package io.moelora.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.moelora.cli.GatewayClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code --mode}: {@code auto} goes through the pipeline only when the gateway answers ready, and says which
 * mode it chose; {@code pipeline} without a ready gateway is an error, never a silent in-process run.
 */
class ExperimentModeTest {

    private final StringWriter err = new StringWriter();

    @Test
    void autoFallsBackToInProcessWhenNothingAnswers() throws Exception {
        GatewayClient nobody = new GatewayClient("http://127.0.0.1:" + closedPort(), null);
        long start = System.nanoTime();
        assertThat(ExperimentMode.AUTO.resolve(nobody, new PrintWriter(err, true))).isEqualTo(ExperimentMode.IN_PROCESS);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(ExperimentMode.PROBE.toSeconds() + 1.0);
        assertThat(err.toString()).contains("mode: in-process (no gateway answers ready at http://127.0.0.1:");
    }

    @Test
    void autoFallsBackToInProcessWhenTheGatewayIsNotReady() throws Exception {
        HttpServer server = health(503);
        try {
            assertThat(ExperimentMode.AUTO.resolve(client(server), new PrintWriter(err, true)))
                    .isEqualTo(ExperimentMode.IN_PROCESS);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void autoAndPipelineRunThroughAReadyGateway() throws Exception {
        HttpServer server = health(200);
        try {
            assertThat(ExperimentMode.AUTO.resolve(client(server), new PrintWriter(err, true))).isEqualTo(ExperimentMode.PIPELINE);
            assertThat(ExperimentMode.PIPELINE.resolve(client(server), new PrintWriter(err, true)))
                    .isEqualTo(ExperimentMode.PIPELINE);
            assertThat(err.toString()).contains("mode: pipeline (the gateway at http://127.0.0.1:");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void pipelineWithoutAReadyGatewayIsAnError() throws Exception {
        GatewayClient nobody = new GatewayClient("http://127.0.0.1:" + closedPort(), null);
        assertThatThrownBy(() -> ExperimentMode.PIPELINE.resolve(nobody, new PrintWriter(err, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mode pipeline: the gateway at http://127.0.0.1:")
                .hasMessageContaining("does not answer ready");
        assertThat(ExperimentMode.IN_PROCESS.resolve(nobody, new PrintWriter(err, true))).isEqualTo(ExperimentMode.IN_PROCESS);
    }

    @Test
    void modeNamesAreTheOptionValues() {
        ExperimentMode.Converter c = new ExperimentMode.Converter();
        assertThat(c.convert("in-process")).isEqualTo(ExperimentMode.IN_PROCESS);
        assertThat(c.convert("Pipeline")).isEqualTo(ExperimentMode.PIPELINE);
        assertThatThrownBy(() -> c.convert("stack")).hasMessageContaining("auto, pipeline or in-process");
    }

    /** A gateway stand-in whose readiness endpoint answers {@code status}. */
    private static HttpServer health(int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/health/ready", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static GatewayClient client(HttpServer server) {
        return new GatewayClient("http://127.0.0.1:" + server.getAddress().getPort(), null);
    }

    /** A port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
