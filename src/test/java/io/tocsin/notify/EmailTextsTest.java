package io.tocsin.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.support.Projects;

/**
 * The escalation and failed-page emails from their Qute templates, without the application: the same subjects and
 * bodies, character for character, as the text the dispatcher built before the templates, from text that would break
 * a naive template (braces, line breaks) left as it is.
 */
class EmailTextsTest {

    private static final Engine ENGINE = Engine.builder().addDefaults().build();
    private static final Instant OPENED = Instant.parse("2027-05-01T08:30:00Z");

    private static Template template(String name) throws IOException {
        return ENGINE.parse(Files.readString(Projects.root().resolve("src/main/resources/templates/email/" + name)));
    }

    private static Effect effect(OutboxEntry entry, List<OutboxEntry> outbox) {
        Alert alert = new Alert(Severity.CRITICAL, "DB {down}\r\nBcc: x", "line one\r\n{#if}\u202Egnp.exe", "db-1\u2066",
                JsonNodeFactory.instance.objectNode(), "k", false, null, OPENED);
        return new Effect("inc-7", alert, OPENED, entry, outbox);
    }

    @Test
    void theEscalationEmailReadsAsBefore() throws IOException {
        OutboxEntry entry = OutboxEntry.pending(EffectKind.ESCALATION_EMAIL, null, 3, OPENED, null);
        Effect effect = effect(entry, List.of(entry));
        assertEquals("[Tocsin] Escalated to level 3: DB {down} Bcc: x",
                EmailTexts.render(template("escalation-subject.txt"), effect));
        // plain text: the title and source on their line, the description's lines kept, bidi controls gone
        assertEquals("Incident inc-7 (critical, source db-1) has not been acknowledged since 2027-05-01T08:30:00Z.\n"
                + "It is now at escalation level 3.\n\nline one\n{#if}gnp.exe",
                EmailTexts.render(template("escalation.txt"), effect));
        assertEquals("[Tocsin] Escalated to level 3: DB {down} Bcc: x",
                Texts.subject(EmailTexts.render(template("escalation-subject.txt"), effect)),
                "the subject is put on one line when sent");
    }

    @Test
    void theFailedPageEmailReadsAsBeforeWithTheTriggersErrors() throws IOException {
        OutboxEntry trigger = OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, PagerDutyAction.TRIGGER, 0, OPENED, null)
                .attempted(DeliveryState.FAILED, 400, List.of("HTTP 400: Event object is invalid", "bad key"), null,
                        OPENED);
        OutboxEntry entry = OutboxEntry.pending(EffectKind.PAGE_FAILED_EMAIL, null, 0, OPENED, null);
        Effect effect = effect(entry, List.of(trigger, entry));
        assertEquals("[Tocsin] PagerDuty could not be paged: DB {down} Bcc: x",
                EmailTexts.render(template("page-failed-subject.txt"), effect));
        assertEquals("Tocsin could not deliver the page for critical incident inc-7 to PagerDuty.\n\nAlert: "
                + "DB {down} Bcc: x\nSource: db-1\nSince: 2027-05-01T08:30:00Z\nErrors: HTTP 400: Event object is "
                + "invalid; bad key", EmailTexts.render(template("page-failed.txt"), effect));
    }
}
