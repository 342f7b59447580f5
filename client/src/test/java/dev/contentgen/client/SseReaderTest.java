package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.client.SseReader.Message;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text/event-stream rules the resume logic relies on; above all, a cut-off event is never delivered. */
class SseReaderTest {

    @Test
    void readsRetryCommentsEventsAndErrors() throws IOException {
        assertThat(read("retry: 2000\n\n: keepalive\n\nid: 1\nevent: status\ndata: {\"a\":1}\n\nevent: error\ndata: {}\n\n"))
                .containsExactly(new Message.Retry(Duration.ofMillis(2000)), new Message.Comment("keepalive"),
                        new Message.Event("1", "status", "{\"a\":1}"), new Message.Event(null, "error", "{}"));
    }

    @Test
    void anEventCutBeforeItsBlankLineIsDropped() throws IOException {
        assertThat(read("id: 1\nevent: status\ndata: {\"a\":1}\n\nid: 2\nevent: status\ndata: {\"a\":2}\n"))
                .containsExactly(new Message.Event("1", "status", "{\"a\":1}"));
        assertThat(read("id: 1\nevent: status\ndata: {\"a\"")).isEmpty();
    }

    @Test
    void joinsDataLinesAndAcceptsCrLfAndFieldsWithoutASpace() throws IOException {
        assertThat(read("data:one\r\ndata: two\r\n\r\n")).containsExactly(new Message.Event(null, "message", "one\ntwo"));
    }

    @Test
    void ignoresARetryThatIsNotANumber() throws IOException {
        assertThat(read("retry: soon\n\n")).isEmpty();
    }

    private static List<Message> read(String text) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        List<Message> messages = new ArrayList<>();
        Message m;
        while ((m = reader.next()) != null) {
            messages.add(m);
        }
        return messages;
    }
}
