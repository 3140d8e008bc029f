package dev.neutron.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SseEventReaderTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("one event per blank line", "data: a\n\ndata: b\n\n", List.of("a", "b")),
                Arguments.of("data lines of one event are joined with LF", "data: a\ndata: b\n\n", List.of("a\nb")),
                Arguments.of("CRLF line ends", "data: a\r\n\r\ndata: b\r\n\r\n", List.of("a", "b")),
                Arguments.of("CR line ends", "data: a\r\rdata: b\r\r", List.of("a", "b")),
                Arguments.of("comments are skipped", ": ping\ndata: a\n: more\n\n", List.of("a")),
                Arguments.of("event, id and retry fields are ignored", "event: chunk\nid: 7\nretry: 10\ndata: a\n\n", List.of("a")),
                Arguments.of("only one space after the colon is dropped", "data:a\n\ndata:  b\n\n", List.of("a", " b")),
                Arguments.of("a field without colon has an empty value", "data\n\n", List.of("")),
                Arguments.of("blank lines without data dispatch nothing", "\n\n: ping\n\ndata: a\n\n", List.of("a")),
                Arguments.of("an event cut off by the end is dropped", "data: a\n\ndata: {\"cut", List.of("a")),
                Arguments.of("a byte order mark is skipped", "\uFEFFdata: a\n\n", List.of("a")),
                Arguments.of("unknown fields are ignored", "foo: bar\ndata: a\n\n", List.of("a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void readsTheDataOfEachEvent(String name, String wire, List<String> expected) throws IOException {
        assertEquals(expected, readAll(wire, new AtomicInteger()));
    }

    @Test
    void everyLineCountsAsActivityCommentsIncluded() throws IOException {
        AtomicInteger lines = new AtomicInteger();

        readAll(": ping\n: ping\ndata: a\n\n", lines);

        assertEquals(4, lines.get());
    }

    private static List<String> readAll(String wire, AtomicInteger lines) throws IOException {
        SseEventReader reader = new SseEventReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)),
                lines::incrementAndGet);
        List<String> events = new ArrayList<>();
        for (String data = reader.next(); data != null; data = reader.next()) {
            events.add(data);
        }
        return events;
    }
}
