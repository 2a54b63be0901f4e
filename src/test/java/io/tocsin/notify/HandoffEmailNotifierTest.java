package io.tocsin.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.tocsin.support.Projects;

/** The handoff emails' text, from the Qute templates themselves (a standalone engine, no application start). */
class HandoffEmailNotifierTest {

    private final List<String[]> mails = new ArrayList<>();

    private HandoffEmailNotifier notifier() throws Exception {
        Engine engine = Engine.builder().addDefaults().build();
        EmailNotifier email = new EmailNotifier(null) {
            @Override
            public Outcome send(List<String> recipients, String subject, String text, String messageId) {
                mails.add(new String[] {String.join(",", recipients), subject, text, messageId});
                return new Outcome.Delivered(0, "ok");
            }
        };
        return new HandoffEmailNotifier(email, template(engine, "handoff-subject.txt"), template(engine, "handoff.txt"));
    }

    private static Template template(Engine engine, String name) throws Exception {
        return engine.parse(Files.readString(Projects.root().resolve("src/main/resources/templates/email/" + name)));
    }

    @Test
    void theIncomingPersonIsToldWhenTheirShiftBeganAndEndsInTheirOwnZone() throws Exception {
        Instant boundary = Instant.parse("2026-03-09T13:00:00Z");
        notifier().send(new HandoffEmail(List.of("bob@example.com"), "Bob", "Primary", true, "Ann", boundary,
                Instant.parse("2026-03-10T13:00:00Z"), ZoneId.of("Europe/Berlin"), "m1@tocsin"));
        String[] mail = mails.get(0);
        assertEquals("bob@example.com", mail[0]);
        assertEquals("[Tocsin] You are on call now: Primary", mail[1].strip());
        assertTrue(mail[2].contains("your on-call shift on Primary began at Mon 9 Mar 2026 14:00 CET (+01:00)"),
                mail[2]);
        assertTrue(mail[2].contains("It ends at Tue 10 Mar 2026 14:00 CET"), mail[2]);
        assertTrue(mail[2].contains("You take over from Ann."), mail[2]);
        assertEquals("m1@tocsin", mail[3]);
    }

    @Test
    void theOutgoingPersonIsToldWhoTookOverOrThatNoOneDid() throws Exception {
        HandoffEmailNotifier notifier = notifier();
        Instant boundary = Instant.parse("2026-03-09T13:00:00Z");
        notifier.send(new HandoffEmail(List.of("ann@example.com"), "Ann", "Primary", false, "Bob", boundary, null,
                ZoneId.of("America/New_York"), "m2@tocsin"));
        notifier.send(new HandoffEmail(List.of("ann@example.com"), "Ann", "Primary", false, null, boundary, null,
                ZoneId.of("America/New_York"), "m3@tocsin"));
        assertEquals("[Tocsin] Your on-call shift ended: Primary", mails.get(0)[1].strip());
        assertTrue(mails.get(0)[2].contains("ended at Mon 9 Mar 2026 09:00 EDT (-04:00)"), mails.get(0)[2]);
        assertTrue(mails.get(0)[2].contains("Bob is on call now."), mails.get(0)[2]);
        assertTrue(mails.get(1)[2].contains("No one is on call on Primary now."), mails.get(1)[2]);
    }
}
