package dev.contentgen.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A transaction's pointers travel in one NOTIFY per channel, inside PostgreSQL's 8,000-byte limit, and come back whole. */
class NotificationPayloadTest {
    private static final String JOB = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    @Test
    void aGroupsPointersShareOneNotifyPerChannelAndParseBackToTheSameNotifications() {
        List<Notification> group = List.of(new Notification.Appended(JOB, 41), new Notification.Appended(JOB.replace('a', 'b'), 7),
                new Notification.Queued(JOB.replace('a', 'c')));

        List<Notification.Message> messages = Notification.pack(group);

        assertThat(messages).extracting(Notification.Message::channel)
                .containsExactly(Notification.EVENTS_CHANNEL, Notification.QUEUE_CHANNEL);
        List<Notification> parsed = new ArrayList<>();
        messages.forEach(m -> parsed.addAll(Notification.parse(m.channel(), m.payload()).orElseThrow()));
        assertThat(parsed).containsExactlyElementsOf(group);
    }

    @Test
    void aGroupTooBigForOnePayloadIsSplitAndEachPayloadStaysWellInsideTheLimit() {
        List<Notification> group = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            group.add(new Notification.Appended(JOB.substring(0, 30) + String.format("%06d", i), 1_000_000L + i));
        }

        List<Notification.Message> messages = Notification.pack(group);

        assertThat(messages).hasSizeGreaterThan(1).allSatisfy(m -> assertThat(m.payload().length()).isLessThanOrEqualTo(Notification.MAX_PAYLOAD));
        assertThat(messages.stream().mapToInt(m -> Notification.parse(m.channel(), m.payload()).orElseThrow().size()).sum()).isEqualTo(300);
    }

    @Test
    void aPayloadWithOneForeignPointerIsNotOursAtAll() {
        assertThat(Notification.parse(Notification.EVENTS_CHANNEL, JOB + ":3," + "not a pointer")).isEmpty();
        assertThat(Notification.parse(Notification.EVENTS_CHANNEL, JOB + ":3,")).isEmpty();
        assertThat(Notification.parse(Notification.QUEUE_CHANNEL, JOB + ",;DROP")).isEmpty();
        assertThat(Notification.parse(Notification.EVENTS_CHANNEL, JOB + ":3")).isEqualTo(Optional.of(List.of(new Notification.Appended(JOB, 3))));
    }
}
