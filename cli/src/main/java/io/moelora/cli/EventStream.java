package io.moelora.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent event stream read on a daemon thread, so the caller can wait with a deadline. When
 * the connection drops it reconnects after the server's {@code retry:} delay with the last
 * {@code id:} as {@code Last-Event-ID}, and the gateway resumes exactly after it. Refusals that a retry
 * cannot fix (401, 403, 404, 400) end the stream with their error.
 */
final class EventStream implements AutoCloseable {

    /** One dispatched event; {@code name} is "message" when the server named none. */
    record Event(String id, String name, String data) {}

    private record Item(Event event, GatewayException error) {}

    private final GatewayClient client;
    private final String path;
    private final PrintWriter err;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Parser parser = new Parser();
    private final Thread reader;
    private volatile boolean closed;
    private volatile InputStream body;

    private EventStream(GatewayClient client, String path, PrintWriter err) {
        this.client = client;
        this.path = path;
        this.err = err;
        this.reader = new Thread(this::readLoop, "event-stream");
        reader.setDaemon(true);
    }

    /** Connects in the background; events arrive through {@link #next}. */
    static EventStream open(GatewayClient client, String path, PrintWriter err) {
        EventStream s = new EventStream(client, path, err);
        s.reader.start();
        return s;
    }

    /**
     * The next event, or null when none came within {@code millis}.
     *
     * @throws GatewayException when the gateway refused the stream for good
     */
    Event next(long millis) throws InterruptedException {
        Item item = queue.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
        if (item == null) {
            return null;
        }
        if (item.error() != null) {
            throw item.error();
        }
        return item.event();
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        closeBody();
    }

    private void readLoop() {
        boolean reported = false;
        while (!closed) {
            try {
                HttpResponse<InputStream> response = client.stream(path, parser.lastId);
                body = response.body();
                parser.restart();
                if (reported) {
                    err.println("reconnected to the event stream");
                    err.flush();
                    reported = false;
                }
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    for (String line; !closed && (line = lines.readLine()) != null; ) {
                        Event e = parser.line(line);
                        if (e != null) {
                            queue.add(new Item(e, null));
                        }
                    }
                }
            } catch (GatewayException e) {
                int s = e.status();
                if (s == 400 || s == 401 || s == 403 || s == 404) {
                    queue.add(new Item(null, e));
                    return;
                }
                if (!reported && !closed) {
                    err.println(e.getMessage() + "; retrying");
                    err.flush();
                    reported = true;
                }
            } catch (IOException e) {
                // The connection dropped: reconnect below, resuming after the last id.
            } catch (InterruptedException e) {
                return;
            } finally {
                closeBody();
            }
            try {
                Thread.sleep(parser.retryMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void closeBody() {
        InputStream b = body;
        if (b != null) {
            try {
                b.close(); // also ends a blocked read: how close() stops the reader
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The text/event-stream format, line by line (WHATWG HTML, "Server-sent events"). */
    static final class Parser {

        /** The id of the last dispatched event: what a reconnection resumes after. */
        String lastId;
        long retryMillis = 2000;
        private String idBuffer;
        private String name;
        private StringBuilder data;

        /** Drops a half-read event when a new connection starts. */
        void restart() {
            idBuffer = lastId;
            name = null;
            data = null;
        }

        /** Feeds one line; returns the event a blank line completes, or null. */
        Event line(String line) {
            if (line.isEmpty()) {
                // An id counts only once its event is complete: a drop mid-event must not skip it.
                lastId = idBuffer;
                Event e = data == null ? null : new Event(lastId, name == null ? "message" : name, data.toString());
                name = null;
                data = null;
                return e;
            }
            if (line.startsWith(":")) {
                return null; // a comment: the gateway's heartbeat
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> {
                    if (!value.contains("\0")) {
                        idBuffer = value;
                    }
                }
                case "retry" -> {
                    if (value.matches("\\d{1,9}")) {
                        retryMillis = Long.parseLong(value);
                    }
                }
                default -> { }
            }
            return null;
        }
    }
}
